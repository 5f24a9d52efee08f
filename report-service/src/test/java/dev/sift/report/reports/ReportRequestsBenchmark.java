package dev.sift.report.reports;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.QuestionAsked;
import dev.sift.contracts.lecture.ReviewPosted;
import dev.sift.kafka.EventPublisher;
import dev.sift.report.ReportServiceApplication;
import dev.sift.testing.AiProviderStandIn;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.TestDatabase;
import dev.sift.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * 1,000 concurrent identical {@code GET /api/instructors/{id}/report} requests against the real report-service
 * (embedded broker, a fresh Postgres database, the LLM an HTTP stand-in with 2 s latency that counts requests):
 * how many LLM requests they cause (target exactly 1) and the latency of the answers (target p99 ≤ 50 ms).
 * Latency is measured per request by the client, from just before it is sent to the full response, over one
 * 1,000-connection pool opened beforehand, so connection setup is not in the numbers. A warm-up burst for another
 * instructor runs first. Run by hand:
 * {@code java --enable-native-access=ALL-UNNAMED -cp <test classpath> dev.sift.report.reports.ReportRequestsBenchmark [requests] [rounds]}.
 */
public final class ReportRequestsBenchmark {

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        TestTokens tokens = TestTokens.shared();
        try (AiProviderStandIn llm = new AiProviderStandIn().latency(Duration.ofSeconds(2))) {
            TestDatabase database = TestDatabase.get();
            List<String> settings = new ArrayList<>(List.of(
                    "--SIFT_KAFKA_BOOTSTRAP=" + KafkaTestBroker.bootstrapServers(),
                    "--sift.db.url=" + database.url(), "--sift.db.user=" + database.user(),
                    "--sift.db.password=" + database.password(), "--server.port=0",
                    "--logging.structured.format.console=", "--logging.level.root=WARN",
                    "--sift.ai.generation.provider=openai", "--sift.ai.generation.base-url=" + llm.baseUrl(),
                    "--sift.ai.generation.api-key=bench", "--sift.ai.generation.model=gpt-bench",
                    "--sift.report.dashboard.state-directory=" + Files.createTempDirectory("bench-report-streams")));
            tokens.properties().forEach((name, value) -> settings.add("--" + name + "=" + value));
            ConfigurableApplicationContext context = ReportServiceApplication.builder().run(settings.toArray(String[]::new));
            ConnectionProvider pool = ConnectionProvider.builder("bench").maxConnections(requests)
                    .pendingAcquireMaxCount(-1).build();
            try {
                int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
                WebClient client = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                        .clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                                HttpClient.create(pool))).build();
                String instructor = "bench-" + UUID.randomUUID();
                seed(context.getBean(EventPublisher.class), context.getBean(DatabaseClient.class), instructor);
                String token = tokens.mint(instructor, UUID.randomUUID().toString(), "INSTRUCTOR");

                String warmUp = "bench-warm-up-" + UUID.randomUUID();
                burst(client, warmUp, tokens.mint(warmUp, UUID.randomUUID().toString(), "INSTRUCTOR"), requests);
                System.out.printf("warm-up: %s%n", burst(client, warmUp,
                        tokens.mint(warmUp, UUID.randomUUID().toString(), "INSTRUCTOR"), requests));
                llm.reset();
                llm.latency(Duration.ofSeconds(2));

                MeterRegistry meters = context.getBean(MeterRegistry.class);
                ServerTime before = ServerTime.of(meters);
                Result generating = burst(client, instructor, token, requests);
                System.out.printf("burst while generating (%d concurrent identical requests): %s%n", requests, generating);
                System.out.printf("  server-side (http.server.requests): %s%n", ServerTime.of(meters).since(before));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (status(client, instructor, token) != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                for (int round = 1; round <= rounds; round++) {
                    ServerTime start = ServerTime.of(meters);
                    System.out.printf("burst after completion, round %d: %s%n", round, burst(client, instructor, token, requests));
                    System.out.printf("  server-side (http.server.requests): %s%n", ServerTime.of(meters).since(start));
                }
                System.out.printf("LLM requests made: %d (completed %d)%n", llm.responses().size(), llm.responsesCompleted());
                System.out.printf("machine: %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            } finally {
                pool.dispose();
                context.close();
            }
        }
        System.exit(0);
    }

    /** The server's own view: Micrometer's request timer, from the handler's start to the response's end. */
    record ServerTime(long count, double totalMs) {
        static ServerTime of(MeterRegistry meters) {
            long count = 0;
            double total = 0;
            for (Timer timer : meters.find("http.server.requests").tag("uri", "/api/instructors/{id}/report").timers()) {
                count += timer.count();
                total += timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            return new ServerTime(count, total);
        }

        String since(ServerTime before) {
            long n = count - before.count;
            return "%d requests, mean %.1f ms".formatted(n, n == 0 ? 0 : (totalMs - before.totalMs) / n);
        }
    }

    record Result(int requests, long ok, long accepted, long other, double p50, double p95, double p99, double max,
            double wallMs) {
        @Override
        public String toString() {
            return "%d answers (200: %d, 202: %d, other: %d) in %.0f ms; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms"
                    .formatted(requests, ok, accepted, other, wallMs, p50, p95, p99, max);
        }
    }

    /** All requests are started at once (one latch), each timed from its own send to its full answer. */
    static Result burst(WebClient client, String instructor, String token, int requests) throws InterruptedException {
        List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(requests);
        long start = System.nanoTime();
        Flux.range(0, requests).flatMap(i -> {
            long[] sample = new long[2];
            return client.get().uri("/api/instructors/{id}/report", instructor)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                    .doOnSubscribe(s -> sample[0] = System.nanoTime())
                    .doOnNext(status -> {
                        sample[1] = status;
                        sample[0] = System.nanoTime() - sample[0];
                        samples.add(sample);
                    })
                    .doFinally(signal -> done.countDown());
        }, requests).subscribe();
        done.await();
        double wall = (System.nanoTime() - start) / 1e6;
        long[] latencies = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
        return new Result(requests, samples.stream().filter(s -> s[1] == 200).count(),
                samples.stream().filter(s -> s[1] == 202).count(),
                requests - samples.stream().filter(s -> s[1] == 200 || s[1] == 202).count(),
                percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6, wall);
    }

    static int status(WebClient client, String instructor, String token) {
        return client.get().uri("/api/instructors/{id}/report", instructor).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(Duration.ofSeconds(10));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void seed(EventPublisher publisher, DatabaseClient db, String instructor) throws InterruptedException {
        Instant at = Instant.now().minusSeconds(3600);
        for (int i = 0; i < 20; i++) {
            publisher.publish(Topics.LECTURE_REVIEW, instructor, new ReviewPosted("r-" + UUID.randomUUID(), instructor,
                    "lecture-" + (i % 3), 1 + i % 5, "Review " + i + ": clear examples, pace a bit fast", at))
                    .block(Duration.ofSeconds(30));
        }
        for (int i = 0; i < 10; i++) {
            publisher.publish(Topics.LECTURE_QUESTION, instructor, new QuestionAsked("q-" + UUID.randomUUID(), instructor,
                    "lecture-" + (i % 3), "Question " + i + ": why does the join return nulls?", at))
                    .block(Duration.ofSeconds(30));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Long stored = db.sql("SELECT (SELECT count(*) FROM lecture_review WHERE instructor_id = :id)"
                    + " + (SELECT count(*) FROM lecture_question WHERE instructor_id = :id)").bind("id", instructor)
                    .map((row, meta) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
            if (stored != null && stored == 30) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("questions and reviews not stored within 60 s");
    }
}
