package dev.sift.bills;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.PropertySource;

/**
 * Summarises received bills with the LLM (background, sync or batch mode).
 *
 * <p>Its settings live in {@code bill-summary-worker.properties} rather than {@code application.yml} so that the
 * local stack can run all five services in one JVM without their files shadowing each other.
 */
@SpringBootApplication
@PropertySource("classpath:bill-summary-worker.properties")
public class BillSummaryWorkerApplication {

    public static final String NAME = "bill-summary-worker";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(BillSummaryWorkerApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
