package dev.sift.feedback;

import dev.sift.kafka.SiftService;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Accepts feedback without waiting on any AI call and serves clusters.
 *
 * <p>Its settings live in {@code feedback-service.properties} loaded as config data by {@link SiftService} (see
 * there why not {@code application.yml}).
 */
@SpringBootApplication
@SiftService("feedback-service")
public class FeedbackServiceApplication {

    public static final String NAME = "feedback-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(FeedbackServiceApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
