package dev.sift.report;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.PropertySource;

/**
 * Instructor dashboards and reports, bill ingestion and the bills read model.
 *
 * <p>Its settings live in {@code report-service.properties} rather than {@code application.yml} so that the
 * local stack can run all five services in one JVM without their files shadowing each other.
 */
@SpringBootApplication
@PropertySource("classpath:report-service.properties")
public class ReportServiceApplication {

    public static final String NAME = "report-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ReportServiceApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
