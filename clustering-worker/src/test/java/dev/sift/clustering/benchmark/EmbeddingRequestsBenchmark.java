package dev.sift.clustering.benchmark;

import dev.sift.clustering.ClusteringWorkerApplication;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.AiProviderStandIn;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Embedding requests needed for 10,000 feedback spread over 1,000 organisations in one batching window, end to
 * end: the real worker on an embedded broker and a fresh Postgres database, the Voyage endpoint served by the
 * HTTP stand-in (200 ms latency), which counts the requests it answers. Every organisation's batch of 10 closes
 * by time. Run by hand:
 * {@code java --enable-native-access=ALL-UNNAMED -cp <test classpath> dev.sift.clustering.benchmark.EmbeddingRequestsBenchmark}.
 */
public final class EmbeddingRequestsBenchmark {

    public static void main(String[] args) throws Exception {
        int organisations = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int perOrganisation = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int total = organisations * perOrganisation;
        try (AiProviderStandIn provider = new AiProviderStandIn().latency(Duration.ofMillis(200))) {
            TestDatabase database = TestDatabase.get();
            ConfigurableApplicationContext context = ClusteringWorkerApplication.builder().run(
                    "--SIFT_KAFKA_BOOTSTRAP=" + KafkaTestBroker.bootstrapServers(),
                    "--sift.db.url=" + database.url(), "--sift.db.user=" + database.user(),
                    "--sift.db.password=" + database.password(), "--server.port=0",
                    "--logging.structured.format.console=", "--logging.level.root=WARN",
                    "--sift.ai.embedding.provider=voyage", "--sift.ai.embedding.base-url=" + provider.baseUrl(),
                    "--sift.ai.embedding.api-key=bench",
                    "--sift.batching.pipelines.feedback.max-wait=PT15S",
                    "--sift.batching.pipelines.feedback.check-interval=PT1S",
                    "--sift.clustering.streams.state-dir=" + Files.createTempDirectory("bench-streams"));
            try {
                EventPublisher events = context.getBean(EventPublisher.class);
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                long start = System.nanoTime();
                List<CompletableFuture<?>> sends = new ArrayList<>();
                for (int i = 0; i < perOrganisation; i++) {
                    for (int o = 0; o < organisations; o++) {
                        String org = "bench-org-" + o;
                        sends.add(events.publish(Topics.FEEDBACK_SUBMITTED, org, new FeedbackSubmitted(
                                UUID.randomUUID().toString(), org, "author", null,
                                "feedback " + i + " about topic " + (o % 37) + " and pace " + (i % 5), Instant.now()))
                                .toFuture());
                    }
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
                System.out.printf("published %,d feedback for %,d organisations in %.1f s%n", total, organisations,
                        (System.nanoTime() - start) / 1e9);
                Integer clustered = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (clustered < total && System.nanoTime() < deadline) {
                    Thread.sleep(1000);
                    clustered = jdbc.queryForObject("select count(*) from clustering.assignment", Integer.class);
                }
                Integer batches = jdbc.queryForObject("select count(*) from clustering.processed_batch", Integer.class);
                System.out.printf("clustered %,d feedback in %,d batches, %.1f s after the first send%n", clustered,
                        batches, (System.nanoTime() - start) / 1e9);
                System.out.printf("embedding requests answered by the stand-in: %d (received %d)%n",
                        provider.succeeded(), provider.received().size());
                System.out.printf("inputs per request: %s%n", provider.received().stream()
                        .map(r -> r.body().path("input").size()).toList());
            } finally {
                context.close();
            }
        }
        System.exit(0);
    }
}
