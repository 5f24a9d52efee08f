package dev.sift.bills;

import dev.sift.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every bill-summary-worker IT sets: batches that close within a second, a fast-committing batcher with its
 * own application id, state directory and retry group per test class (so the classes' contexts never share Kafka
 * state), plain console logs, and this run's Postgres database.
 */
final class BillWorkerTestSettings {

    private BillWorkerTestSettings() {
    }

    static void register(DynamicPropertyRegistry registry, String name) throws IOException {
        String stateDirectory = Files.createTempDirectory("bills-" + name + "-it-streams").toString();
        registry.add("sift.batching.pipelines.bills.max-wait", () -> "PT1S");
        registry.add("sift.batching.pipelines.bills.check-interval", () -> "PT0.2S");
        registry.add("sift.bills.retry.group-id", () -> "bills-it-" + name);
        registry.add("sift.bills.streams.application-id", () -> "bills-it-" + name + "-batcher");
        registry.add("sift.bills.streams.commit-interval", () -> "PT0.2S");
        registry.add("sift.bills.streams.state-dir", () -> stateDirectory);
        registry.add("logging.structured.format.console", () -> "");
        registry.add("sift.db.url", () -> TestDatabase.get().url());
        registry.add("sift.db.user", () -> TestDatabase.get().user());
        registry.add("sift.db.password", () -> TestDatabase.get().password());
    }
}
