package dev.sift.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.CloudEventHeaders;
import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.contracts.bill.BillSummarized;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.TopicRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.support.SendResult;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Bills end to end on the real broker and Postgres: {@code POST /api/bills} publishes {@code sift.bill.received.v1}
 * with CloudEvents headers, the read model shows the bill PENDING, then COMPLETED or FAILED as
 * {@code sift.bill.summarized.v1} says; duplicates leave one row; validation, roles and unknown bills are problems.
 */
class BillsIT extends RealReportService {

    @Autowired
    EventPublisher publisher;

    @Autowired
    DatabaseClient db;

    String admin;
    String billId;
    /** A date no other test uses, so the list holds exactly this test's bills. */
    LocalDate day;

    @BeforeEach
    void newBill() {
        admin = TOKENS.mint("admin-" + UUID.randomUUID(), UUID.randomUUID().toString(), "ADMIN");
        billId = "it-" + UUID.randomUUID();
        day = LocalDate.of(2000, 1, 1).plusDays(Math.floorMod(UUID.randomUUID().getMostSignificantBits(), 9_000L));
    }

    @Test
    void postedBillIsPublishedWithCloudEventsHeadersAndShowsPending() {
        post(bill(billId), admin).expectStatus().isAccepted()
                .expectBody().json("{\"billId\": \"" + billId + "\", \"status\": \"ACCEPTED\"}", true);

        ConsumerRecord<String, byte[]> record = TopicRecords.withKey(Topics.BILL_RECEIVED.name(), billId, 1).getFirst();
        assertThat(CloudEventHeaders.read(record.headers(), "ce_specversion")).contains("1.0");
        assertThat(CloudEventHeaders.read(record.headers(), "ce_type")).contains("dev.sift.bill.received.v1");
        assertThat(CloudEventHeaders.read(record.headers(), "ce_source")).contains("/sift/report-service");
        assertThat(CloudEventHeaders.read(record.headers(), "ce_id")).isPresent();
        assertThat(CloudEventHeaders.read(record.headers(), "ce_time")).isPresent();
        assertThat(CloudEventHeaders.read(record.headers(), "content-type")).contains("application/json");
        BillReceived event = Topics.BILL_RECEIVED.valueSerde().fromJson(record.value());
        assertThat(event.title()).isEqualTo("Public Data Access Act");
        assertThat(event.proposedAt()).isEqualTo(day);
        assertThat(event.receivedAt()).isBefore(Instant.now().plusSeconds(1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get("/api/bills/" + billId, anyone())
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.billId").isEqualTo(billId)
                .jsonPath("$.title").isEqualTo("Public Data Access Act")
                .jsonPath("$.proposedAt").isEqualTo(day.toString())
                .jsonPath("$.summary.status").isEqualTo("PENDING")
                .jsonPath("$.summary.text").isEmpty());
        get("/api/bills?date=" + day, anyone()).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.bills.length()").isEqualTo(1)
                .jsonPath("$.bills[0].billId").isEqualTo(billId)
                .jsonPath("$.bills[0].summary.status").isEqualTo("PENDING");
    }

    @Test
    void summarizedEventsCompleteOrFailTheSummary() {
        String failing = "it-" + UUID.randomUUID();
        publish(received(billId), received(failing));
        publisher.publish(Topics.BILL_SUMMARIZED, billId, new BillSummarized(billId, BillSummarized.Status.COMPLETED,
                "Opens public data to researchers.", "gpt-test", 800, 120, 1, Instant.parse("2026-11-01T00:00:10Z")))
                .block(Duration.ofSeconds(30));
        publisher.publish(Topics.BILL_SUMMARIZED, failing, new BillSummarized(failing, BillSummarized.Status.FAILED,
                null, "gpt-test", 800, 0, 3, Instant.parse("2026-11-01T00:00:20Z"))).block(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get("/api/bills/" + billId, anyone())
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.summary.status").isEqualTo("COMPLETED")
                .jsonPath("$.summary.text").isEqualTo("Opens public data to researchers.")
                .jsonPath("$.summary.model").isEqualTo("gpt-test")
                .jsonPath("$.summary.generatedAt").isEqualTo("2026-11-01T00:00:10Z"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get("/api/bills/" + failing, anyone())
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.summary.status").isEqualTo("FAILED")
                .jsonPath("$.summary.text").isEmpty());
        get("/api/bills?date=" + day, anyone()).expectStatus().isOk()
                .expectBody().jsonPath("$.bills.length()").isEqualTo(2);
    }

    @Test
    void duplicatesLeaveOneRowAndAnOlderSummaryDoesNotUndoANewerOne() {
        BillSummarized completed = new BillSummarized(billId, BillSummarized.Status.COMPLETED, "Newer summary.",
                "gpt-test", 1, 1, 2, Instant.parse("2026-11-01T00:01:00Z"));
        BillSummarized olderFailure = new BillSummarized(billId, BillSummarized.Status.FAILED, null, "gpt-test", 1, 0, 1,
                Instant.parse("2026-11-01T00:00:00Z"));
        // The summary first: the two topics are not ordered with each other.
        publisher.publish(Topics.BILL_SUMMARIZED, billId, completed).block(Duration.ofSeconds(30));
        BillReceived bill = received(billId);
        publish(bill, bill);
        awaitConsumed(publisher.publish(Topics.BILL_RECEIVED, billId,
                new BillReceived(billId, "A different title", "x", "y", day, "other", Instant.now()))
                .block(Duration.ofSeconds(30)));
        publisher.publish(Topics.BILL_SUMMARIZED, billId, completed).block(Duration.ofSeconds(30));
        awaitConsumed(publisher.publish(Topics.BILL_SUMMARIZED, billId, olderFailure).block(Duration.ofSeconds(30)));

        get("/api/bills/" + billId, anyone())
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.title").isEqualTo(bill.title())
                .jsonPath("$.summary.status").isEqualTo("COMPLETED")
                .jsonPath("$.summary.text").isEqualTo("Newer summary.");
        assertThat(count("SELECT count(*) FROM bill WHERE bill_id = :id")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM bill_summary WHERE bill_id = :id")).isEqualTo(1);
    }

    @Test
    void repostingABillIsIdempotentAndPublishesOnce() {
        for (int i = 0; i < 3; i++) {
            post(bill(billId), admin).expectStatus().isAccepted()
                    .expectBody().json("{\"billId\": \"" + billId + "\", \"status\": \"ACCEPTED\"}", true);
        }
        assertThat(TopicRecords.withKey(Topics.BILL_RECEIVED.name(), billId, 1)).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get("/api/bills/" + billId, anyone())
                .expectStatus().isOk());
        assertThat(count("SELECT count(*) FROM bill WHERE bill_id = :id")).isEqualTo(1);

        Map<String, Object> changed = bill(billId);
        changed.put("title", "Another bill under the same id");
        post(changed, admin).expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://sift.dev/problems/bill-id-reused");
    }

    @Test
    void invalidBillsAreProblemsNamingTheField() {
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("title", " ");
        broken.put("proposedAt", "2026-13-01");
        broken.put("billId", "has spaces");
        broken.put("body", "");
        for (Map.Entry<String, String> field : broken.entrySet()) {
            Map<String, Object> body = bill(billId);
            body.put(field.getKey(), field.getValue());
            post(body, admin).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://sift.dev/problems/invalid-request")
                    .jsonPath("$.status").isEqualTo(400)
                    .jsonPath("$.errors[0].field").isEqualTo(field.getKey());
        }
        Map<String, Object> missing = bill(billId);
        missing.remove("committee");
        post(missing, admin).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("committee");
        get("/api/bills?date=yesterday", anyone()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("date");
        assertThat(count("SELECT count(*) FROM bill_intake WHERE bill_id = :id")).isZero();
    }

    @Test
    void onlyAnAdminMayPostAndUnknownBillsAre404() {
        post(bill(billId), TOKENS.mint("m", UUID.randomUUID().toString(), "MEMBER", "INSTRUCTOR"))
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(403);
        http.post().uri("/api/bills").contentType(MediaType.APPLICATION_JSON).bodyValue(bill(billId)).exchange()
                .expectStatus().isUnauthorized();
        assertThat(count("SELECT count(*) FROM bill_intake WHERE bill_id = :id")).isZero();

        get("/api/bills/" + billId, anyone()).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        get("/api/bills?date=" + day, TOKENS.mint("g", UUID.randomUUID().toString(), "GUEST")).expectStatus().isOk()
                .expectBody().jsonPath("$.bills.length()").isEqualTo(0);
    }

    private Map<String, Object> bill(String id) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("billId", id);
        body.put("title", "Public Data Access Act");
        body.put("proposer", "Kim Min-ji and 10 others");
        body.put("committee", "Science, ICT, Broadcasting and Communications");
        body.put("proposedAt", day.toString());
        body.put("body", "This bill requires ministries to publish their datasets.");
        return body;
    }

    private BillReceived received(String id) {
        return new BillReceived(id, "Public Data Access Act", "Kim Min-ji", "Science", day,
                "This bill requires ministries to publish their datasets.", Instant.parse("2026-11-01T00:00:00Z"));
    }

    private void publish(BillReceived... bills) {
        for (BillReceived bill : bills) {
            publisher.publish(Topics.BILL_RECEIVED, bill.billId(), bill).block(Duration.ofSeconds(30));
        }
    }

    private long count(String sql) {
        return db.sql(sql).bind("id", billId).map((row, meta) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
    }

    private static String anyone() {
        return TOKENS.mint("reader-" + UUID.randomUUID(), UUID.randomUUID().toString(), "MEMBER");
    }

    private WebTestClient.ResponseSpec post(Map<String, ?> body, String token) {
        return http.post().uri("/api/bills").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String path, String token) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    /** Waits until the read model's consumer group committed past this record: it has been applied. */
    private static void awaitConsumed(SendResult<String, byte[]> sent) {
        TopicPartition partition = new TopicPartition(sent.getRecordMetadata().topic(), sent.getRecordMetadata().partition());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets("report-bills-read-model")
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() > sent.getRecordMetadata().offset();
            });
        }
    }
}
