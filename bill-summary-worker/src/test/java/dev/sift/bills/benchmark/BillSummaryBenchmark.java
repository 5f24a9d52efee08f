package dev.sift.bills.benchmark;

import dev.sift.ai.AiClients;
import dev.sift.ai.AiProperties;
import dev.sift.ai.ResponsesClient;
import dev.sift.bills.BillSummaryProperties;
import dev.sift.bills.summaries.BackgroundEngine;
import dev.sift.bills.summaries.BillOutcome;
import dev.sift.bills.summaries.BillTask;
import dev.sift.bills.summaries.HedgePolicy;
import dev.sift.bills.summaries.SummaryEngine;
import dev.sift.bills.summaries.SummaryMetrics;
import dev.sift.bills.summaries.SyncEngine;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.testing.ResponsesApiStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The engines alone (no Kafka, no database; the end-to-end number from the first {@code POST /api/bills} is
 * local-stack's {@code BillPipelineBenchmark}). Seed 002's question: how long do 50 bill summaries take, first
 * request to last summary, under its latency model
 * (lognormal, median 3.5 s, σ 0.55; 2 % outliers uniform in 20–40 s), and how many extra requests does it cost?
 * Each run drives the worker's real engines over HTTP (the openai-java SDK client with its ProviderGuard) against
 * {@link ResponsesApiStandIn}, with a seeded random source per run, so every strategy sees the same latencies:
 *
 * <ul>
 *   <li>(a) sequential: one synchronous request at a time ({@code sync} engine, concurrency 1, no hedging)</li>
 *   <li>(b) background + polling, hedging off</li>
 *   <li>(c) background + polling + hedging (the round's budget: its own 50 originals, 5 duplicates)</li>
 * </ul>
 *
 * Defaults of the worker otherwise (4 poll workers, a round's live requests share 25 polls a second within
 * 0.1–1 s, the round's tail hedged once it is no larger than the credits, floor 2 s, budget 10 %). Run by hand (not
 * part of the build's tests):
 * {@code java -cp <test classpath> dev.sift.bills.benchmark.BillSummaryBenchmark [runs] [sequentialScale]
 * [strategies, e.g. abc] [firstSeed]}; {@code sequentialScale} &lt; 1 runs (a) on a compressed clock and reports
 * its wall time scaled back up. {@code -Dbench.debug=true} prints the last four bills of each run with their
 * requests; {@code -Dbench.<property>=<value>} sets any {@code sift.bills.<property>} (e.g.
 * {@code -Dbench.poll.rate=50}).
 */
public final class BillSummaryBenchmark {

    private static final int BILLS = 50;

    record Run(String strategy, long seed, Duration wall, int requests, int cancels, boolean outlier) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double sequentialScale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        String only = args.length > 2 ? args[2] : "abc";
        long firstSeed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        List<Run> results = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + runs; seed++) {
            if (only.contains("a")) {
                results.add(print(run("a sequential", seed, sequentialScale, (client, s) -> new SyncEngine(client,
                        settings(false, "sift.bills.sync.concurrency", "1"), new HedgePolicy(s.hedge()),
                        SummaryMetrics.unregistered()))));
            }
            if (only.contains("b")) {
                results.add(print(run("b background, no hedging", seed, 1.0, (client, s) -> new BackgroundEngine(
                        client, settings(false), new HedgePolicy(settings(false).hedge()),
                        SummaryMetrics.unregistered()))));
            }
            if (only.contains("c")) {
                results.add(print(run("c background + hedging", seed, 1.0, (client, s) -> new BackgroundEngine(
                        client, s, new HedgePolicy(s.hedge()), SummaryMetrics.unregistered()))));
            }
        }
        System.out.println();
        System.out.println("| strategy | runs | wall time per run (s) | mean | max | extra requests (total / share) | cancels |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        Map<String, List<Run>> byStrategy = new java.util.LinkedHashMap<>();
        results.forEach(r -> byStrategy.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r));
        byStrategy.forEach((strategy, rs) -> {
            int extra = rs.stream().mapToInt(r -> r.requests() - BILLS).sum();
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f | %d / %.1f %% | %d |%n", strategy, rs.size(),
                    String.join(", ", rs.stream().map(r -> String.format(Locale.ROOT, "%.1f%s", seconds(r.wall()),
                            r.outlier() ? "*" : "")).toList()),
                    rs.stream().mapToDouble(r -> seconds(r.wall())).average().orElse(0),
                    rs.stream().mapToDouble(r -> seconds(r.wall())).max().orElse(0), extra,
                    100.0 * extra / (BILLS * rs.size()), rs.stream().mapToInt(Run::cancels).sum());
        });
        System.out.println("(* = the run's original requests include an outlier of 20–40 s)");
    }

    interface EngineFactory {
        SummaryEngine create(ResponsesClient client, BillSummaryProperties settings);
    }

    static Run run(String strategy, long seed, double scale, EngineFactory factory) throws Exception {
        try (ResponsesApiStandIn standIn = new ResponsesApiStandIn()) {
            boolean outlier;
            standIn.latency(ResponsesApiStandIn.LatencyModel.seed002(scale), seed);
            AiProperties.Port port = new AiProperties.Port("openai", standIn.baseUrl(), "bench-key", "gpt-4.1-mini",
                    null, null, 8, Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(30), 2);
            ResponsesClient client = AiClients.responsesClient(port, new SimpleMeterRegistry()).orElseThrow();
            client.retrieve(client.create(new dev.sift.ai.TextGenerator.GenerationRequest("warm", "up", "", "", 16),
                    false).id());
            standIn.reset();
            standIn.latency(ResponsesApiStandIn.LatencyModel.seed002(scale), seed);
            SummaryEngine engine = factory.create(client, settings(true));
            AtomicLong last = new AtomicLong();
            Map<String, Long> finishedAt = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger completed = new AtomicInteger();
            long start = System.nanoTime();
            engine.summarize(bills(), outcome -> {
                if (outcome.kind() == BillOutcome.Kind.COMPLETED) {
                    completed.incrementAndGet();
                }
                last.set(System.nanoTime());
                finishedAt.put(outcome.billId(), System.nanoTime());
            });
            if (engine instanceof AutoCloseable closeable) {
                closeable.close();
            }
            if (completed.get() != BILLS) {
                throw new IllegalStateException(strategy + ": only " + completed.get() + " of " + BILLS + " completed");
            }
            Duration wall = Duration.ofNanos((long) ((last.get() - start) / scale));
            if (Boolean.getBoolean("bench.debug")) {
                finishedAt.entrySet().stream().sorted(Map.Entry.comparingByValue()).skip(BILLS - 4).forEach(e ->
                        System.out.println("  " + e.getKey() + " finished at " + (e.getValue() - start) / 1_000_000
                                + " ms: " + standIn.describe(e.getKey().replace("bench-", "Bill ") + " amends")));
            }
            outlier = standIn.durations().stream().limit(BILLS).anyMatch(d -> d.toMillis() >= 20_000 * scale);
            return new Run(strategy, seed, wall, standIn.creates().size(), standIn.cancelled().size(), outlier);
        }
    }

    static BillSummaryProperties settings(boolean hedging, String... more) {
        Map<String, String> values = new HashMap<>();
        values.put("sift.bills.hedge.enabled", Boolean.toString(hedging));
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("bench.") && !name.equals("bench.debug"))
                .forEach(name -> values.put("sift.bills." + name.substring(6), System.getProperty(name)));
        for (int i = 0; i + 1 < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("sift.bills",
                BillSummaryProperties.class);
    }

    static List<BillTask> bills() {
        return IntStream.range(0, BILLS).mapToObj(i -> BillTask.of(new BillReceived("bench-" + i, "Bill " + i,
                "Proposer", "Committee", LocalDate.parse("2026-11-02"),
                "Bill " + i + " amends the act on small businesses. It extends support for another five years. "
                        + "It takes effect on promulgation.", Instant.parse("2026-11-02T00:00:00Z")))).toList();
    }

    static Run print(Run run) {
        System.out.printf(Locale.ROOT, "%-32s seed %d: %6.1f s, %d requests, %d cancelled%s%n", run.strategy(),
                run.seed(), seconds(run.wall()), run.requests(), run.cancels(), run.outlier() ? " (outlier)" : "");
        return run;
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
