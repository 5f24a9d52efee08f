package dev.sift.report;

import dev.sift.kafka.SiftService;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Instructor dashboards and reports, bill ingestion and the bills read model.
 *
 * <p>Its settings live in {@code report-service.properties} loaded as config data by {@link SiftService} (see
 * there why not {@code application.yml}).
 */
@SpringBootApplication
@SiftService("report-service")
public class ReportServiceApplication {

    public static final String NAME = "report-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ReportServiceApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
