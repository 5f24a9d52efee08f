package dev.sift.bills;

import dev.sift.kafka.SiftService;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Summarises received bills with the LLM (background, sync or batch mode).
 *
 * <p>Its settings live in {@code bill-summary-worker.properties} loaded as config data by {@link SiftService} (see
 * there why not {@code application.yml}).
 */
@SpringBootApplication
@SiftService("bill-summary-worker")
public class BillSummaryWorkerApplication {

    public static final String NAME = "bill-summary-worker";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(BillSummaryWorkerApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
