package dev.sift.bills.summaries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.ai.AiClients;
import dev.sift.ai.AiProperties;
import dev.sift.ai.ResponsesClient;
import dev.sift.bills.BillSummaryProperties;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.testing.ResponsesApiStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The engines against the Responses stand-in over real HTTP, without Kafka: behaviour of one round. */
class EnginesTest {

    private final ResponsesApiStandIn standIn = new ResponsesApiStandIn();

    @AfterEach
    void close() {
        standIn.close();
    }

    static BillSummaryProperties settings(Map<String, String> overrides) {
        return new Binder(new MapConfigurationPropertySource(overrides)).bindOrCreate("sift.bills",
                BillSummaryProperties.class);
    }

    ResponsesClient client() {
        AiProperties.Port port = new AiProperties.Port("openai", standIn.baseUrl(), "key", "gpt-4.1-mini", null,
                null, 16, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5), 2);
        return AiClients.responsesClient(port, new SimpleMeterRegistry()).orElseThrow();
    }

    static List<BillTask> bills(int n, String prefix) {
        return IntStream.range(0, n).mapToObj(i -> BillTask.of(bill(prefix + i, "Bill " + prefix + i
                + " amends the act. It funds schools. It starts next year."))).toList();
    }

    static BillReceived bill(String id, String body) {
        return new BillReceived(id, "Title " + id, "Proposer", "Committee", LocalDate.parse("2026-11-02"), body,
                Instant.parse("2026-11-02T00:00:00Z"));
    }

    static Map<String, BillOutcome> run(SummaryEngine engine, List<BillTask> bills) {
        Map<String, BillOutcome> outcomes = new ConcurrentHashMap<>();
        engine.summarize(bills, outcome -> assertThat(outcomes.put(outcome.billId(), outcome)).isNull());
        return outcomes;
    }

    @Test
    void backgroundSummarisesEveryBillAndPollsUntilDone() {
        standIn.latency(ResponsesApiStandIn.LatencyModel.seed002(0.05), 7);
        BillSummaryProperties settings = settings(Map.of("sift.bills.poll.min-interval", "PT0.02S",
                "sift.bills.poll.max-interval", "PT0.1S"));
        BackgroundEngine engine = new BackgroundEngine(client(), settings, new HedgePolicy(settings.hedge()),
                SummaryMetrics.unregistered());

        Map<String, BillOutcome> outcomes = run(engine, bills(20, "b"));

        assertThat(outcomes).hasSize(20);
        assertThat(outcomes.values()).allSatisfy(o -> {
            assertThat(o.kind()).isEqualTo(BillOutcome.Kind.COMPLETED);
            assertThat(o.summary()).startsWith("Summary: Title " + o.billId() + "\n");
            assertThat(o.model()).isEqualTo("gpt-4.1-mini-2025-04-14");
            assertThat(o.attempts()).isEqualTo(1);
            assertThat(o.inputTokens()).isPositive();
        });
        assertThat(standIn.creates()).allSatisfy(r -> assertThat(r.background()).isTrue());
        assertThat(standIn.retrieves()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void anOutlierIsHedgedTheFirstCompletionWinsAndTheLoserIsCancelled() {
        standIn.latency(ResponsesApiStandIn.LatencyModel.fixed(Duration.ofMillis(100)), 1)
                .nextLatencyFor("b7 amends", Duration.ofSeconds(30));
        // A floor far above the 100 ms bills: on a loaded machine one of them may be seen late, and with two
        // credits it would be hedged too once only it and the slow bill are left.
        BillSummaryProperties settings = settings(Map.of("sift.bills.poll.min-interval", "PT0.02S",
                "sift.bills.poll.max-interval", "PT0.1S", "sift.bills.hedge.min-delay", "PT1S"));
        SummaryMetrics metrics = SummaryMetrics.unregistered();
        BackgroundEngine engine = new BackgroundEngine(client(), settings, new HedgePolicy(settings.hedge()), metrics);
        long start = System.nanoTime();

        Map<String, BillOutcome> outcomes = run(engine, bills(20, "b"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcomes.get("b7").kind()).isEqualTo(BillOutcome.Kind.COMPLETED);
        assertThat(outcomes.get("b7").attempts()).isEqualTo(1);
        assertThat(standIn.createsFor("b7 amends")).isEqualTo(2);
        assertThat(standIn.creates()).hasSize(21);
        assertThat(standIn.cancelled()).hasSize(1);
        assertThat(standIn.inputOf(standIn.cancelled().getFirst())).contains("b7 amends");
        assertThat(metrics.hedges()).isEqualTo(1);
    }

    @Test
    void noBlindHedgeWhileMoreBillsRunThanCreditsThenTheWholeTailAtOnce() {
        // 20 bills earn 2 credits. Three are slow: while all three run, a duplicate would go to one of them blindly,
        // so none is sent; when the 3 s bill finishes, the two 30 s bills are the tail and both are hedged at once
        // (a "95 % finished" rule would wait for one of them: 30 s).
        standIn.latency(ResponsesApiStandIn.LatencyModel.fixed(Duration.ofMillis(100)), 1)
                .nextLatencyFor("b3 amends", Duration.ofSeconds(3)).nextLatencyFor("b4 amends", Duration.ofSeconds(30))
                .nextLatencyFor("b5 amends", Duration.ofSeconds(30));
        // A floor far above the 100 ms bills: on a loaded machine one of them may be seen late, and with two
        // credits it would be hedged too once only it and the slow bill are left.
        BillSummaryProperties settings = settings(Map.of("sift.bills.poll.min-interval", "PT0.02S",
                "sift.bills.poll.max-interval", "PT0.1S", "sift.bills.hedge.min-delay", "PT1S"));
        SummaryMetrics metrics = SummaryMetrics.unregistered();
        BackgroundEngine engine = new BackgroundEngine(client(), settings, new HedgePolicy(settings.hedge()), metrics);
        long start = System.nanoTime();

        Map<String, BillOutcome> outcomes = run(engine, bills(20, "b"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcomes.values()).extracting(BillOutcome::kind).containsOnly(BillOutcome.Kind.COMPLETED);
        assertThat(standIn.createsFor("b3 amends")).isEqualTo(1);
        assertThat(standIn.createsFor("b4 amends")).isEqualTo(2);
        assertThat(standIn.createsFor("b5 amends")).isEqualTo(2);
        assertThat(metrics.hedges()).isEqualTo(2);
        List<ResponsesApiStandIn.Received> creates = standIn.creates();
        long first = creates.getFirst().receivedAtNanos();
        assertThat(creates.subList(20, creates.size())).hasSize(2).allSatisfy(hedge -> assertThat(
                Duration.ofNanos(hedge.receivedAtNanos() - first)).isGreaterThan(Duration.ofMillis(2900)));
        assertThat(standIn.cancelled()).hasSize(2);
    }

    @Test
    void failedAndIncompleteAreReRequestedThenFailRetryably() {
        standIn.outcomes("b1 amends", "failed", "incomplete").alwaysEndWith("b2 amends", "failed");
        BillSummaryProperties settings = settings(Map.of("sift.bills.poll.min-interval", "PT0.02S",
                "sift.bills.max-attempts", "3"));
        BackgroundEngine engine = new BackgroundEngine(client(), settings, new HedgePolicy(settings.hedge()),
                SummaryMetrics.unregistered());

        Map<String, BillOutcome> outcomes = run(engine, bills(3, "b"));

        assertThat(outcomes.get("b0").attempts()).isEqualTo(1);
        assertThat(outcomes.get("b1").kind()).isEqualTo(BillOutcome.Kind.COMPLETED);
        assertThat(outcomes.get("b1").attempts()).isEqualTo(3);
        assertThat(outcomes.get("b2").kind()).isEqualTo(BillOutcome.Kind.RETRYABLE_FAILURE);
        assertThat(outcomes.get("b2").attempts()).isEqualTo(3);
        assertThat(outcomes.get("b2").failure()).startsWith("failed");
    }

    @Test
    void rateLimitIsWaitedOutAndServerErrorsAreRetried() {
        standIn.failNextCreates(1, 429, Duration.ofSeconds(1)).failNextCreates(1, 503, null);
        BillSummaryProperties settings = settings(Map.of("sift.bills.poll.min-interval", "PT0.02S"));
        BackgroundEngine engine = new BackgroundEngine(client(), settings, new HedgePolicy(settings.hedge()),
                SummaryMetrics.unregistered());

        Map<String, BillOutcome> outcomes = run(engine, bills(2, "b"));

        assertThat(outcomes.values()).extracting(BillOutcome::kind).containsOnly(BillOutcome.Kind.COMPLETED);
        assertThat(standIn.httpFailuresSent()).isEqualTo(2);
    }

    @Test
    void syncModeHedgesToo() {
        standIn.latency(ResponsesApiStandIn.LatencyModel.fixed(Duration.ofMillis(100)), 1)
                .nextLatencyFor("b3 amends", Duration.ofSeconds(30));
        BillSummaryProperties settings = settings(Map.of("sift.bills.hedge.min-delay", "PT0.3S"));
        SummaryMetrics metrics = SummaryMetrics.unregistered();
        try (SyncEngine engine = new SyncEngine(client(), settings, new HedgePolicy(settings.hedge()), metrics)) {
            long start = System.nanoTime();

            Map<String, BillOutcome> outcomes = run(engine, bills(10, "b"));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(outcomes.values()).extracting(BillOutcome::kind).containsOnly(BillOutcome.Kind.COMPLETED);
            assertThat(standIn.createsFor("b3 amends")).isEqualTo(2);
            assertThat(standIn.creates()).allSatisfy(r -> assertThat(r.background()).isFalse());
            assertThat(metrics.hedges()).isEqualTo(1);
        }
    }

    @Test
    void batchModeRunsOneBatchAndResubmitsOnlyTheFailedLines() {
        standIn.batchDuration(Duration.ofMillis(100)).outcomes("b2 amends", "incomplete");
        BillSummaryProperties settings = settings(Map.of("sift.bills.batch-api.poll-interval", "PT0.05S"));
        BatchApiEngine engine = new BatchApiEngine(client(), settings, SummaryMetrics.unregistered());

        Map<String, BillOutcome> outcomes = run(engine, bills(5, "b"));

        assertThat(outcomes.values()).extracting(BillOutcome::kind).containsOnly(BillOutcome.Kind.COMPLETED);
        assertThat(outcomes.get("b2").attempts()).isEqualTo(2);
        assertThat(outcomes.get("b0").attempts()).isEqualTo(1);
        assertThat(standIn.batchesCreated()).isEqualTo(2);
        assertThat(standIn.createsFor("amends")).isEqualTo(6);
    }

    @Test
    void extractiveSummaryPicksTheMostCentralSentencesInOrder() {
        String body = "The act funds rural schools. Weather was nice. Rural schools get new funds for teachers. "
                + "The committee met on Tuesday. Funds for rural schools start next year.";

        String summary = ExtractiveEngine.summarize("t", body);

        assertThat(summary.split("\n\n")).containsExactly("The act funds rural schools.",
                "Rural schools get new funds for teachers.", "Funds for rural schools start next year.");
    }
}
