package dev.sift.bills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillBatched;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.contracts.bill.BillSummarized;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.RealInfrastructure;
import dev.sift.testing.ResponsesApiStandIn;
import dev.sift.testing.TopicRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole worker in background mode on the real broker and Postgres, with OpenAI's Responses API served by
 * {@link ResponsesApiStandIn}: received bills → batcher → listener → background requests, polls, hedges, cancels →
 * {@code sift.bill.summarized.v1}; retry topics that carry only the failed bills; the DLT and FAILED events.
 */
@RealInfrastructure
@DirtiesContext
@SpringBootTest(classes = BillSummaryWorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BillSummaryWorkerIT {

    static final ResponsesApiStandIn provider = new ResponsesApiStandIn();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("sift.ai.generation.provider", () -> "openai");
        registry.add("sift.ai.generation.base-url", provider::baseUrl);
        registry.add("sift.ai.generation.api-key", () -> "it-key");
        registry.add("sift.ai.generation.max-concurrency", () -> "8");
        registry.add("sift.batching.pipelines.bills.max-items", () -> "10");
        BillWorkerTestSettings.register(registry, "background");
        registry.add("sift.bills.poll.min-interval", () -> "PT0.02S");
        registry.add("sift.bills.poll.max-interval", () -> "PT0.1S");
        // Far above the stand-in's 100 ms and a few re-requests, so only the 60 s outlier is ever hedged (with 0.3 s,
        // a bill re-requested three times on a busy machine could be hedged too, and the exact counts below flaked).
        registry.add("sift.bills.hedge.min-delay", () -> "PT2S");
        registry.add("sift.bills.retry.delays", () -> "PT1S,PT2S");
    }

    @Autowired
    EventPublisher events;

    @Autowired
    KafkaTemplate<String, byte[]> template;

    @AfterEach
    void resetProvider() {
        provider.reset();
        provider.latency(ResponsesApiStandIn.LatencyModel.fixed(Duration.ofMillis(100)), 1);
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    @Test
    void receivedBillsComeOutSummarisedOnceAndARedeliveredBatchPaysNothing() {
        provider.latency(ResponsesApiStandIn.LatencyModel.fixed(Duration.ofMillis(100)), 1);
        LocalDate day = uniqueDay();
        List<BillReceived> bills = receive(day, 3, "plain");

        for (BillReceived bill : bills) {
            List<ConsumerRecord<String, byte[]>> records = TopicRecords.withKey(Topics.BILL_SUMMARIZED.name(),
                    bill.billId(), 1);
            assertThat(records).hasSize(1);
            BillSummarized summarized = Topics.BILL_SUMMARIZED.valueSerde().fromJson(records.getFirst().value());
            assertThat(summarized.status()).isEqualTo(BillSummarized.Status.COMPLETED);
            assertThat(summarized.summary()).startsWith("Summary: " + bill.title());
            assertThat(summarized.model()).isEqualTo("gpt-4.1-mini-2025-04-14");
            assertThat(summarized.attempts()).isEqualTo(1);
            assertThat(summarized.inputTokens()).isPositive();
            assertThat(summarized.outputTokens()).isPositive();
        }
        // Per bill: other IT classes' bills may reach this context's batcher too (the broker is shared per JVM).
        for (BillReceived bill : bills) {
            assertThat(provider.createsFor(bill.billId())).isEqualTo(1);
        }
        assertThat(provider.creates()).filteredOn(r -> r.input().contains(day.toString()))
                .allSatisfy(r -> assertThat(r.background()).isTrue());

        // The same batch again, as after a crash before the offset commit: nothing is requested or published twice.
        ConsumerRecord<String, byte[]> batch = TopicRecords.withKey(Topics.BILL_BATCHED.name(), day.toString(), 1)
                .getFirst();
        template.send(new ProducerRecord<>(Topics.BILL_BATCHED.name(), null, batch.key(), batch.value(),
                batch.headers())).join();
        for (BillReceived bill : bills) {
            assertThat(TopicRecords.withKey(Topics.BILL_SUMMARIZED.name(), bill.billId(), 1)).hasSize(1);
            assertThat(provider.createsFor(bill.billId())).isEqualTo(1);
        }
    }

    @Test
    void anOutlierIsHedgedTheFirstCompletionWinsAndTheLoserIsCancelled() {
        LocalDate day = uniqueDay();
        String marker = "outlier-" + UUID.randomUUID();
        provider.nextLatencyFor(marker, Duration.ofSeconds(60));
        List<BillReceived> bills = receive(day, 9, "fast");
        BillReceived slow = receive(day, List.of(bill(day, "slow", marker))).getFirst();

        BillSummarized summarized = summarizedOnce(slow.billId());

        assertThat(summarized.status()).isEqualTo(BillSummarized.Status.COMPLETED);
        assertThat(summarized.attempts()).isEqualTo(1);
        assertThat(provider.createsFor(marker)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(provider.cancelled()).anySatisfy(
                id -> assertThat(provider.inputOf(id)).contains(marker)));
        for (BillReceived bill : bills) {
            assertThat(summarizedOnce(bill.billId()).status()).isEqualTo(BillSummarized.Status.COMPLETED);
        }
    }

    @Test
    void onlyTheFailedBillIsRetriedAndItsRetryRecordHoldsOnlyIt() {
        LocalDate day = uniqueDay();
        String failing = "flaky-" + UUID.randomUUID();
        String fine = "fine-" + UUID.randomUUID();
        // Three failed attempts end the first round; the retry topic's round completes.
        provider.outcomes(failing, "failed", "incomplete", "failed");
        List<BillReceived> bills = receive(day, List.of(bill(day, "a", fine), bill(day, "b", failing),
                bill(day, "c", fine)));

        BillSummarized retried = summarizedOnce(bills.get(1).billId());

        assertThat(retried.status()).isEqualTo(BillSummarized.Status.COMPLETED);
        assertThat(retried.attempts()).isEqualTo(4);
        assertThat(provider.createsFor(failing)).isEqualTo(4);
        assertThat(provider.createsFor(fine)).isEqualTo(2);
        assertThat(summarizedOnce(bills.get(0).billId()).attempts()).isEqualTo(1);
        BillBatched onRetryTopic = Topics.BILL_BATCHED.valueSerde().fromJson(TopicRecords.withKey(
                Topics.BILL_BATCHED.name() + "-retry-1000", day.toString(), 1).getFirst().value());
        assertThat(onRetryTopic.items()).extracting(BillReceived::billId).containsExactly(bills.get(1).billId());
    }

    @Test
    void aBillThatFailsEveryRoundGoesToTheDltAloneAndIsPublishedFailed() {
        LocalDate day = uniqueDay();
        String broken = "broken-" + UUID.randomUUID();
        provider.alwaysEndWith(broken, "failed");
        List<BillReceived> bills = receive(day, List.of(bill(day, "ok", "fine"), bill(day, "bad", broken)));

        BillSummarized failed = summarizedOnce(bills.get(1).billId());

        assertThat(failed.status()).isEqualTo(BillSummarized.Status.FAILED);
        assertThat(failed.summary()).isNull();
        // Three rounds (the batch topic, two retry topics) of three attempts each.
        assertThat(failed.attempts()).isEqualTo(9);
        assertThat(provider.createsFor(broken)).isEqualTo(9);
        assertThat(summarizedOnce(bills.get(0).billId()).status()).isEqualTo(BillSummarized.Status.COMPLETED);
        ConsumerRecord<String, byte[]> letter = TopicRecords.withKey(Topics.BILL_BATCHED.deadLetterTopic(),
                day.toString(), 1).getFirst();
        assertThat(Topics.BILL_BATCHED.valueSerde().fromJson(letter.value()).items()).extracting(BillReceived::billId)
                .containsExactly(bills.get(1).billId());
        assertThat(new String(letter.headers().lastHeader("kafka_exception-message").value()))
                .contains(bills.get(1).billId());
    }

    private BillSummarized summarizedOnce(String billId) {
        List<ConsumerRecord<String, byte[]>> records = TopicRecords.withKey(Topics.BILL_SUMMARIZED.name(), billId, 1);
        assertThat(records).as("summaries of %s", billId).hasSize(1);
        return Topics.BILL_SUMMARIZED.valueSerde().fromJson(records.getFirst().value());
    }

    private List<BillReceived> receive(LocalDate day, int count, String word) {
        return receive(day, IntStream.range(0, count).mapToObj(i -> bill(day, word + i, word)).toList());
    }

    private List<BillReceived> receive(LocalDate day, List<BillReceived> bills) {
        for (BillReceived bill : bills) {
            events.publish(Topics.BILL_RECEIVED, bill.billId(), bill).block();
        }
        return bills;
    }

    static BillReceived bill(LocalDate day, String name, String marker) {
        String id = "B-" + UUID.randomUUID();
        return new BillReceived(id, "Act " + name + " " + id, "Kim and 10 others", "Education Committee", day,
                "This bill " + marker + " amends the act. It funds schools. It starts next year.", Instant.now());
    }

    static LocalDate uniqueDay() {
        return LocalDate.of(2000, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(0, 3_000_000));
    }
}
