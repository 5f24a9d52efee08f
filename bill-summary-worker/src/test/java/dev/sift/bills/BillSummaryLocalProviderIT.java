package dev.sift.bills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.bills.summaries.ExtractiveEngine;
import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.contracts.bill.BillSummarized;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.RealInfrastructure;
import dev.sift.testing.TopicRecords;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The local stack's default, {@code sift.ai.generation.provider=local}: extractive summaries, no network. */
@RealInfrastructure
@DirtiesContext
@SpringBootTest(classes = BillSummaryWorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BillSummaryLocalProviderIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        BillWorkerTestSettings.register(registry, "local");
    }

    @Autowired
    EventPublisher events;

    @Test
    void summariesAreTheBillsMostCentralSentences() {
        String id = "L-" + UUID.randomUUID();
        BillReceived bill = new BillReceived(id, "소상공인 보호법 일부개정법률안", "김민수 의원 등 10인", "산업통상자원중소벤처기업위원회",
                LocalDate.of(2026, 11, 2), "이 법안은 소상공인 지원 기간을 연장합니다. 회의는 화요일에 열렸습니다. "
                        + "소상공인 지원 예산을 늘리고 지원 기간을 5년 연장합니다. 날씨가 좋았습니다. "
                        + "연장된 소상공인 지원은 공포 후 시행합니다.", Instant.now());
        events.publish(Topics.BILL_RECEIVED, id, bill).block();

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.withKey(Topics.BILL_SUMMARIZED.name(), id, 1);

        assertThat(records).hasSize(1);
        BillSummarized summarized = Topics.BILL_SUMMARIZED.valueSerde().fromJson(records.getFirst().value());
        assertThat(summarized.status()).isEqualTo(BillSummarized.Status.COMPLETED);
        assertThat(summarized.model()).isEqualTo(ExtractiveEngine.MODEL);
        assertThat(summarized.summary()).isEqualTo("이 법안은 소상공인 지원 기간을 연장합니다.\n\n"
                + "소상공인 지원 예산을 늘리고 지원 기간을 5년 연장합니다.\n\n연장된 소상공인 지원은 공포 후 시행합니다.");
        assertThat(summarized.inputTokens()).isZero();
        assertThat(summarized.attempts()).isEqualTo(1);
    }
}
