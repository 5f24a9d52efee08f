package dev.sift.report.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.Topics;
import dev.sift.kafka.EventPublisher;
import dev.sift.report.RealReportService;
import dev.sift.testing.TopicRecords;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * When Kafka does not take a claim's request event: the request that claimed the report and the identical one that
 * shared its lookup fail (the controller's 503 with {@code Retry-After}), the claim is given up (FAILED), and the next
 * request claims again and starts the generation. The failing Kafka is a real producer pointed at a port
 * where no broker listens; Postgres and the rest are the shared test context's.
 */
class ReportRequestPublishFailureIT extends RealReportService {

    @Autowired
    ReportStore store;

    @Autowired
    ReportProperties properties;

    @Autowired
    ReportRequests requests;

    @Autowired
    DatabaseClient db;

    @Test
    void theClaimAndItsSharersFailTheClaimIsGivenUpAndTheNextRequestClaimsAgain() {
        Map<String, Object> unreachable = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(unreachable));
        ReportRequests withoutKafka = new ReportRequests(store, new EventPublisher(template, "test"), properties);
        String instructor = "instructor-" + UUID.randomUUID();
        try {
            Mono<ReportRequests.Answer> claimer = withoutKafka.answer(instructor).cache();
            claimer.subscribe(answer -> { }, failure -> { });
            // An identical request while the lookup is in flight shares it, Kafka's answer included: while the
            // producer waits for a broker (max.block.ms 3 s) the claim is stored and nobody has been answered.
            Mono<ReportRequests.Answer> sharer = withoutKafka.answer(instructor).cache();
            sharer.subscribe(answer -> { }, failure -> { });
            await().atMost(Duration.ofSeconds(2)).until(() -> "GENERATING".equals(status(instructor)));

            assertThatThrownBy(() -> claimer.block(Duration.ofSeconds(30)))
                    .isInstanceOf(ReportRequestNotPublishedException.class);
            assertThatThrownBy(() -> sharer.block(Duration.ofSeconds(1)))
                    .isInstanceOf(ReportRequestNotPublishedException.class);
            assertThat(status(instructor)).isEqualTo("FAILED");
            assertThat(withoutKafka.known(instructor).answer()).as("no GENERATING kept after the failure").isNull();
        } finally {
            template.destroy();
        }

        // The service's own ReportRequests (Kafka up): the next request claims again and the request event goes out.
        ReportRequests.Answer again = requests.answer(instructor).block(Duration.ofSeconds(30));
        assertThat(again).isNotNull();
        assertThat(again.report()).isNull();
        assertThat(TopicRecords.withKey(Topics.REPORT_REQUESTED.name(), instructor, 1)).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !"GENERATING".equals(status(instructor)));
    }

    private String status(String instructor) {
        return db.sql("SELECT status FROM instructor_report WHERE instructor_id = :id").bind("id", instructor)
                .map((row, meta) -> row.get(0, String.class)).one().block(Duration.ofSeconds(10));
    }
}
