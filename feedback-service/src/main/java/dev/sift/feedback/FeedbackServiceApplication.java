package dev.sift.feedback;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.PropertySource;

/**
 * Accepts feedback without waiting on any AI call and serves clusters.
 *
 * <p>Its settings live in {@code feedback-service.properties} rather than {@code application.yml} so that the
 * local stack can run all five services in one JVM without their files shadowing each other.
 */
@SpringBootApplication
@PropertySource("classpath:feedback-service.properties")
public class FeedbackServiceApplication {

    public static final String NAME = "feedback-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(FeedbackServiceApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
