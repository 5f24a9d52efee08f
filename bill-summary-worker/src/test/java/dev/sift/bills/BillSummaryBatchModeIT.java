package dev.sift.bills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.contracts.bill.BillSummarized;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.RealInfrastructure;
import dev.sift.testing.ResponsesApiStandIn;
import dev.sift.testing.TopicRecords;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code sift.ai.generation.mode=batch} end to end: received bills → one JSONL upload → one Batch API batch →
 * polled → output file read → {@code sift.bill.summarized.v1}; a line that comes back {@code incomplete} goes into
 * a follow-up batch alone.
 */
@RealInfrastructure
@DirtiesContext
@SpringBootTest(classes = BillSummaryWorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BillSummaryBatchModeIT {

    static final ResponsesApiStandIn provider = new ResponsesApiStandIn().batchDuration(Duration.ofMillis(300));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("sift.ai.generation.provider", () -> "openai");
        registry.add("sift.ai.generation.mode", () -> "batch");
        registry.add("sift.ai.generation.base-url", provider::baseUrl);
        registry.add("sift.ai.generation.api-key", () -> "it-key");
        registry.add("sift.bills.batch-api.poll-interval", () -> "PT0.1S");
        registry.add("sift.batching.pipelines.bills.max-items", () -> "10");
        BillWorkerTestSettings.register(registry, "batch-mode");
        registry.add("sift.bills.retry.delays", () -> "PT1S,PT2S");
    }

    @Autowired
    EventPublisher events;

    @AfterAll
    static void stop() {
        provider.close();
    }

    @Test
    void billsAreSummarisedThroughTheBatchApi() {
        LocalDate day = BillSummaryWorkerIT.uniqueDay();
        String rough = "rough-" + UUID.randomUUID();
        provider.outcomes(rough, "incomplete");
        List<BillReceived> bills = IntStream.range(0, 4).mapToObj(i -> BillSummaryWorkerIT.bill(day, "batch" + i,
                i == 2 ? rough : "calm")).toList();
        bills.forEach(bill -> events.publish(Topics.BILL_RECEIVED, bill.billId(), bill).block());

        for (BillReceived bill : bills) {
            List<ConsumerRecord<String, byte[]>> records = TopicRecords.withKey(Topics.BILL_SUMMARIZED.name(),
                    bill.billId(), 1);
            assertThat(records).hasSize(1);
            BillSummarized summarized = Topics.BILL_SUMMARIZED.valueSerde().fromJson(records.getFirst().value());
            assertThat(summarized.status()).isEqualTo(BillSummarized.Status.COMPLETED);
            assertThat(summarized.summary()).startsWith("Summary: " + bill.title());
            assertThat(summarized.attempts()).isEqualTo(bill == bills.get(2) ? 2 : 1);
        }
        // Every generation came through a batch file, none through POST /v1/responses; the incomplete one twice.
        for (BillReceived bill : bills) {
            assertThat(provider.createsFor(bill.billId())).isEqualTo(bill == bills.get(2) ? 2 : 1);
        }
        assertThat(provider.creates()).filteredOn(r -> r.input().contains(day.toString()))
                .hasSize(5).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("batch"));
        assertThat(provider.batchesCreated()).isGreaterThanOrEqualTo(2);
    }
}
