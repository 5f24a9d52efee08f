package dev.sift.local;

import dev.sift.bills.BillSummaryWorkerApplication;
import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillBatched;
import dev.sift.report.ReportServiceApplication;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.ResponsesApiStandIn;
import dev.sift.testing.TestDatabase;
import dev.sift.testing.TestTokens;
import dev.sift.testing.TopicRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6's benchmark end to end: 50 bills of one day, from the first {@code POST /api/bills} to the moment
 * {@code GET /api/bills?date=} shows all 50 COMPLETED, through the real path: report-service's POST (claim in
 * Postgres, publish, 202 after the broker's ack) → {@code sift.bill.received.v1} → the bill batcher (Kafka Streams,
 * exactly-once, repartition by proposal date) → {@code sift.bill.batched.v1} → bill-summary-worker → OpenAI's
 * Responses API ({@link ResponsesApiStandIn} with seed 002's latency model) → {@code sift.bill.summarized.v1} →
 * report-service's read model. Gateway not on the path (the POST goes to report-service directly).
 *
 * <p>One JVM: the test-support embedded broker and a fresh Postgres database (random ports, so it needs no port
 * lock), report-service once, and for each strategy a fresh bill-summary-worker context with the strategy's
 * settings (same consumer group and batcher id, so each context goes on where the last stopped):
 * <ul>
 *   <li>(a) sequential: {@code sync} mode, one request at a time, no hedging (seed 002's job)</li>
 *   <li>(b) {@code background} + polling, hedging off</li>
 *   <li>(c) {@code background} + polling + hedging, the worker's defaults</li>
 *   <li>(p) as (c) with a provider that answers at once: the pipeline's own latency</li>
 * </ul>
 * Each context first runs one unmeasured warm-up day (50 bills, 200 ms each). Every measured run posts its 50 bills
 * (16 in flight, as {@code sift load bills}) for a day of its own with the stand-in seeded by the run's seed (the same latencies for every
 * strategy and as in {@code BillSummaryBenchmark}), and reports the stages: all POSTs answered, the batch closed
 * ({@code closedAt}), the first generation request, the last summary stored by the worker ({@code generatedAt}),
 * and all visible (GET every 50 ms).
 *
 * <p>Run by hand from {@code local-stack} after {@code test-compile}:
 * {@code java --enable-native-access=ALL-UNNAMED -cp <test classpath> dev.sift.local.BillPipelineBenchmark
 * [runs=10] [strategies=bc] [firstSeed=1] [--sift.x=y ...]}; {@code --} arguments go to both services (e.g. the
 * old pipeline settings, {@code --sift.bills.streams.commit-interval=PT1S}); {@code -Dbench.debug=true} prints the
 * last bill's generations of every run.
 */
public final class BillPipelineBenchmark {

    private static final int BILLS = 50;
    /** As {@code sift load bills --via-gateway}. */
    private static final int POSTS_IN_FLIGHT = 16;
    private static final Duration VISIBLE_TIMEOUT = Duration.ofMinutes(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Strategy(String key, String name, List<String> workerArgs) {
    }

    record Run(String strategy, long seed, double posted, double batchClosed, double firstRequest,
            double lastOriginal, double lastStored, double visible, int requests, boolean outlier) {
    }

    private static final List<Strategy> STRATEGIES = List.of(
            new Strategy("a", "(a) sequential", List.of("--sift.ai.generation.mode=sync",
                    "--sift.bills.sync.concurrency=1", "--sift.bills.hedge.enabled=false")),
            new Strategy("b", "(b) background, no hedging", List.of("--sift.ai.generation.mode=background",
                    "--sift.bills.hedge.enabled=false")),
            new Strategy("c", "(c) background + hedging", List.of("--sift.ai.generation.mode=background")),
            new Strategy("p", "(p) pipeline only", List.of("--sift.ai.generation.mode=background")));

    private final ResponsesApiStandIn standIn = new ResponsesApiStandIn();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String admin = TestTokens.shared().mint("bench-admin", UUID.randomUUID().toString(), "ADMIN");
    private int reportPort;
    private LocalDate nextDay = LocalDate.parse("2026-11-02");

    public static void main(String[] args) throws Exception {
        // One Logback for several contexts, as in LocalStack.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String only = args.length > 1 ? args[1] : "bc";
        long firstSeed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        List<String> extra = java.util.Arrays.stream(args).filter(a -> a.startsWith("--")).toList();
        BillPipelineBenchmark benchmark = new BillPipelineBenchmark();
        int status = 0;
        try {
            benchmark.run(runs, only, firstSeed, extra);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            benchmark.standIn.close();
        }
        // The embedded broker's threads would keep the JVM (and the benchmark lock) alive.
        System.exit(status);
    }

    private void run(int runs, String only, long firstSeed, List<String> extra) throws Exception {
        System.out.printf("JVM %s, %d cores, load average at start: %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        List<String> common = new ArrayList<>(baseline());
        common.addAll(extra);
        List<Run> results = new ArrayList<>();
        for (Strategy strategy : STRATEGIES) {
            if (!only.contains(strategy.key())) {
                continue;
            }
            List<String> workerArgs = new ArrayList<>(common);
            workerArgs.addAll(workerSettings());
            workerArgs.addAll(strategy.workerArgs());
            // Both services anew per strategy: the contexts share Reactor Netty's global resources, and closing a
            // worker alone would take report-service's HTTP server down with them.
            try (ConfigurableApplicationContext report = ReportServiceApplication.builder().run(
                    common.toArray(String[]::new));
                    ConfigurableApplicationContext worker = BillSummaryWorkerApplication.builder().run(
                            workerArgs.toArray(String[]::new))) {
                reportPort = report.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
                standIn.reset();
                standIn.latency(ResponsesApiStandIn.LatencyModel.fixed(Duration.ofMillis(200)), 0);
                Run warmUp = day(strategy, 0);
                System.out.printf(Locale.ROOT, "%-28s warm-up: %.1f s%n", strategy.name(), warmUp.visible());
                for (long seed = firstSeed; seed < firstSeed + runs; seed++) {
                    standIn.reset();
                    standIn.latency(strategy.key().equals("p")
                            ? ResponsesApiStandIn.LatencyModel.fixed(Duration.ZERO)
                            : ResponsesApiStandIn.LatencyModel.seed002(1.0), seed);
                    results.add(print(day(strategy, seed)));
                }
            }
        }
        System.out.printf("%nload average at end: %s%n%n", loadAverage());
        table(results);
    }

    /** What every service of this JVM gets (as LocalStack's baseline, but on random ports). */
    private static List<String> baseline() {
        TestDatabase db = TestDatabase.get();
        List<String> args = new ArrayList<>(List.of(
                "--SIFT_KAFKA_BOOTSTRAP=" + KafkaTestBroker.bootstrapServers(),
                "--SIFT_DB_URL=" + db.url(), "--SIFT_DB_USER=" + db.user(), "--SIFT_DB_PASSWORD=" + db.password(),
                "--server.port=0", "--spring.cloud.gateway.server.webflux.enabled=false",
                "--spring.main.banner-mode=off", "--logging.structured.format.console="));
        TestTokens.shared().properties().forEach((name, value) -> args.add("--" + name + "=" + value));
        try {
            Path state = Files.createTempDirectory("bill-bench-state");
            args.add("--sift.report.dashboard.state-directory=" + state.resolve("report"));
            args.add("--sift.bills.streams.state-dir=" + state.resolve("bills"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return args;
    }

    private List<String> workerSettings() {
        return List.of("--sift.ai.generation.provider=openai", "--sift.ai.generation.base-url=" + standIn.baseUrl(),
                "--sift.ai.generation.api-key=bench-key", "--sift.ai.generation.model=gpt-4.1-mini");
    }

    /** One day's 50 bills, first POST to all visible. */
    private Run day(Strategy strategy, long seed) throws Exception {
        LocalDate day = nextDay;
        nextDay = nextDay.plusDays(1);
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        Semaphore inFlight = new Semaphore(POSTS_IN_FLIGHT);
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < BILLS; i++) {
            inFlight.acquire();
            posts.add(http.sendAsync(post(day, strategy.key() + "-" + seed + "-" + i), HttpResponse.BodyHandlers
                    .ofString()).whenComplete((response, failure) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> post : posts) {
            HttpResponse<String> response = post.join();
            if (response.statusCode() != 202) {
                throw new IllegalStateException("POST /api/bills answered " + response.statusCode() + ": "
                        + response.body());
            }
        }
        double posted = seconds(System.nanoTime() - start);
        JsonNode bills = awaitAllCompleted(day, start);
        double visible = seconds(System.nanoTime() - start);
        Instant lastStored = Instant.MIN;
        String lastBill = "";
        for (JsonNode bill : bills.path("bills")) {
            Instant generatedAt = Instant.parse(bill.path("summary").path("generatedAt").asString());
            if (generatedAt.isAfter(lastStored)) {
                lastStored = generatedAt;
                lastBill = bill.path("billId").asString();
            }
        }
        if (Boolean.getBoolean("bench.debug")) {
            // The last bill's generations (created when, drawn how long, how they ended): why the run took as long.
            String id = lastBill.substring(("bench-" + day + "-").length());
            System.out.println("  last bill " + lastBill + ": " + standIn.describe("Bill " + id + " amends"));
        }
        BillBatched batch = Topics.BILL_BATCHED.valueSerde().fromJson(
                TopicRecords.withKey(Topics.BILL_BATCHED.name(), day.toString(), 1).getFirst().value());
        if (batch.items().size() != BILLS) {
            throw new IllegalStateException("the day's batch holds " + batch.items().size() + " bills, not " + BILLS);
        }
        List<Long> creates = standIn.creates().stream().map(ResponsesApiStandIn.Received::receivedAtNanos).sorted()
                .toList();
        boolean outlier = standIn.durations().stream().limit(BILLS).anyMatch(d -> d.toSeconds() >= 20);
        return new Run(strategy.name(), seed, posted, between(startedAt, batch.closedAt()),
                seconds(creates.getFirst() - start), seconds(creates.get(BILLS - 1) - start),
                between(startedAt, lastStored), visible, creates.size(), outlier);
    }

    private HttpRequest post(LocalDate day, String id) {
        String body = JSON.writeValueAsString(Map.of("billId", "bench-" + day + "-" + id, "title", "Bill " + id,
                "proposer", "Kim and 10 others", "committee", "Education Committee", "proposedAt", day.toString(),
                "body", "Bill " + id + " amends the act on small businesses. It extends support for another five "
                        + "years. It takes effect on promulgation."));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + reportPort + "/api/bills"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private JsonNode awaitAllCompleted(LocalDate day, long start) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + reportPort + "/api/bills?date="
                + day)).header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(10)).GET().build();
        while (System.nanoTime() - start < VISIBLE_TIMEOUT.toNanos()) {
            HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode page = JSON.readTree(response.body());
                long completed = 0;
                for (JsonNode bill : page.path("bills")) {
                    if ("COMPLETED".equals(bill.path("summary").path("status").asString())) {
                        completed++;
                    }
                }
                if (completed == BILLS) {
                    return page;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not all " + BILLS + " bills of " + day + " COMPLETED after " + VISIBLE_TIMEOUT);
    }

    private static Run print(Run run) {
        System.out.printf(Locale.ROOT, "%-28s seed %2d: visible %6.1f s | posted %.2f, batch closed %.2f, first "
                        + "request %.2f, 50th request %.2f, last stored %.2f | %d requests%s%n", run.strategy(),
                run.seed(), run.visible(), run.posted(), run.batchClosed(), run.firstRequest(), run.lastOriginal(),
                run.lastStored(), run.requests(), run.outlier() ? " (outlier)" : "");
        return run;
    }

    private static void table(List<Run> results) {
        Map<String, List<Run>> byStrategy = new LinkedHashMap<>();
        results.forEach(r -> byStrategy.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r));
        System.out.println("| strategy | runs | first POST → all 50 visible, per run (s) | mean | max | runs ≤ 12 s "
                + "| extra requests | mean s from the first POST to: all posted / batch closed / first request / "
                + "50th request / last stored / visible |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        byStrategy.forEach((strategy, runs) -> {
            int extra = runs.stream().mapToInt(r -> r.requests() - BILLS).sum();
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f | %d of %d | %d / %d = %.1f %% (max %d in a run) "
                            + "| %.2f / %.2f / %.2f / %.2f / %.2f / %.2f |%n", strategy, runs.size(),
                    String.join(", ", runs.stream().map(r -> String.format(Locale.ROOT, "%.1f%s", r.visible(),
                            r.outlier() ? "*" : "")).toList()),
                    mean(runs, Run::visible), runs.stream().mapToDouble(Run::visible).max().orElse(0),
                    runs.stream().filter(r -> r.visible() <= 12).count(), runs.size(), extra, BILLS * runs.size(),
                    100.0 * extra / (BILLS * runs.size()),
                    runs.stream().mapToInt(r -> r.requests() - BILLS).max().orElse(0), mean(runs, Run::posted),
                    mean(runs, Run::batchClosed), mean(runs, Run::firstRequest), mean(runs, Run::lastOriginal),
                    mean(runs, Run::lastStored), mean(runs, Run::visible));
        });
        System.out.println("(* = the run's 50 original requests include a 20–40 s outlier)");
    }

    private static double mean(List<Run> runs, java.util.function.ToDoubleFunction<Run> stage) {
        return runs.stream().mapToDouble(stage).average().orElse(0);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double between(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
