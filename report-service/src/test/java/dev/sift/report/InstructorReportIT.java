package dev.sift.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.QuestionAsked;
import dev.sift.contracts.lecture.ReviewPosted;
import dev.sift.contracts.report.ReportGenerated;
import dev.sift.contracts.report.ReportRequested;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.TopicRecords;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Instructor reports end to end on the real broker and Postgres, the LLM an HTTP stand-in of the Responses API
 * that counts requests: a burst of identical requests makes one generation, a 5xx is retried through the retry
 * topics, a permanent failure reaches the DLT and the report can be requested again, and only the instructor
 * themself or an ADMIN may read it.
 */
class InstructorReportIT extends RealReportService {

    @Autowired
    EventPublisher publisher;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    String instructor;
    String token;
    /** Appears in this test's reviews only, so the stand-in's requests of this test can be told apart. */
    String marker;

    @BeforeEach
    void newInstructorWithMaterial() {
        LLM.reset();
        instructor = "instructor-" + UUID.randomUUID();
        token = TOKENS.mint(instructor, UUID.randomUUID().toString(), "INSTRUCTOR");
        marker = "marker" + UUID.randomUUID().toString().replace("-", "");
        Instant at = Instant.now().minusSeconds(3600);
        List<ReviewPosted> reviews = List.of(
                new ReviewPosted("r-" + UUID.randomUUID(), instructor, "lecture-sql", 5,
                        "Clear explanations and great examples " + marker, at),
                new ReviewPosted("r-" + UUID.randomUUID(), instructor, "lecture-sql", 4,
                        "Great examples, a bit fast", at),
                new ReviewPosted("r-" + UUID.randomUUID(), instructor, "lecture-joins", 2,
                        "Too fast, audio is quiet", at));
        List<QuestionAsked> questions = List.of(
                new QuestionAsked("q-" + UUID.randomUUID(), instructor, "lecture-joins", "Why a left join here?", at),
                new QuestionAsked("q-" + UUID.randomUUID(), instructor, "lecture-joins", "When is a left join slower?", at));
        // One at a time from this thread: chained sends would run on the producer's network thread, where a
        // send to a topic it has no metadata for yet blocks the very thread that would fetch it.
        reviews.forEach(r -> publisher.publish(Topics.LECTURE_REVIEW, instructor, r).block(Duration.ofSeconds(30)));
        questions.forEach(q -> publisher.publish(Topics.LECTURE_QUESTION, instructor, q).block(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("lecture_review") == 3 && count("lecture_question") == 2);
    }

    @AfterEach
    void recoverStandIn() {
        LLM.reset();
    }

    @Test
    void concurrentIdenticalRequestsStartExactlyOneGeneration() {
        // The generation takes 2 s, so the burst arrives while it runs; a straggler may already see the report.
        LLM.latency(Duration.ofSeconds(2));
        WebClient client = WebClient.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        AtomicInteger accepted = new AtomicInteger();
        List<Integer> statuses = Flux.range(0, 60)
                .flatMap(i -> client.get().uri("/api/instructors/{id}/report", instructor)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .exchangeToMono(response -> {
                            if (response.statusCode().value() == 202) {
                                accepted.incrementAndGet();
                                assertThat(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
                            }
                            return response.releaseBody().thenReturn(response.statusCode().value());
                        }), 60)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).hasSize(60).allMatch(status -> status == 202 || status == 200);
        assertThat(accepted.get()).isGreaterThanOrEqualTo(50);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> report(token).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.instructorId").isEqualTo(instructor)
                .jsonPath("$.period").isEqualTo(YearMonth.now(ZoneOffset.UTC).toString())
                .jsonPath("$.strengths[0]").isEqualTo("stand-in strengths 1")
                .jsonPath("$.weaknesses.length()").isEqualTo(2)
                .jsonPath("$.suggestions[1]").isEqualTo("stand-in suggestions 2")
                .jsonPath("$.model").isEqualTo("gpt-test")
                .jsonPath("$.generatedAt").isNotEmpty());
        // More requests after completion are answered from the store: still one generation.
        Flux.range(0, 20).flatMap(i -> client.get().uri("/api/instructors/{id}/report", instructor)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve().toBodilessEntity())
                .map(response -> response.getStatusCode()).collectList().block(Duration.ofSeconds(30))
                .forEach(status -> assertThat(status).isEqualTo(HttpStatusCode.valueOf(200)));

        assertThat(llmRequests()).isEqualTo(1);
        assertThat(TopicRecords.withKey(Topics.REPORT_REQUESTED.name(), instructor, 1)).hasSize(1);
        ConsumerRecord<String, byte[]> generated = TopicRecords.withKey(Topics.REPORT_GENERATED.name(), instructor, 1).getFirst();
        ReportGenerated event = Topics.REPORT_GENERATED.valueSerde().fromJson(generated.value());
        assertThat(event.reviewCount()).isEqualTo(3);
        assertThat(event.questionCount()).isEqualTo(2);
        assertThat(event.inputTokens()).isPositive();
        assertThat(event.strengths()).containsExactly("stand-in strengths 1", "stand-in strengths 2");

        // The request carried the material and asked for structured output with the report's schema.
        var request = LLM.responses().stream().filter(r -> r.body().path("input").asString().contains(marker)).findFirst()
                .orElseThrow().body();
        assertThat(request.path("input").asString()).contains("Why a left join here?").contains("[lecture-joins] 2/5");
        assertThat(request.path("text").path("format").path("type").asString()).isEqualTo("json_schema");
        assertThat(request.path("text").path("format").path("schema").path("required").toString())
                .contains("strengths", "weaknesses", "suggestions");
        // ProviderGuard recorded the call under OpenTelemetry's GenAI names.
        assertThat(meters.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "input")
                .tag("gen_ai.request.model", "gpt-test").summary()).isNotNull()
                .satisfies(summary -> assertThat(summary.count()).isPositive());
        assertThat(meters.find("gen_ai.client.operation.duration").tag("gen_ai.provider.name", "openai")
                .tag("error.type", "none").timer()).isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isPositive());
    }

    @Test
    void onlyTheInstructorThemselfOrAnAdminMayRead() {
        report(TOKENS.mint("instructor-" + UUID.randomUUID(), UUID.randomUUID().toString(), "INSTRUCTOR"))
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(403);
        report(TOKENS.mint(instructor, UUID.randomUUID().toString(), "MEMBER")).expectStatus().isForbidden();
        http.get().uri("/api/instructors/" + instructor + "/report").exchange().expectStatus().isUnauthorized();
        // Refused requests claim nothing.
        assertThat(count("instructor_report")).isZero();

        String admin = TOKENS.mint("admin-" + UUID.randomUUID(), UUID.randomUUID().toString(), "ADMIN");
        report(admin).expectStatus().isAccepted()
                .expectBody().json("{\"status\": \"GENERATING\"}", true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> report(admin).expectStatus().isOk()
                .expectBody().jsonPath("$.instructorId").isEqualTo(instructor));
        report(token).expectStatus().isOk();
    }

    @Test
    void aFailingProviderIsRetriedThroughTheRetryTopics() {
        LLM.failNext(2, 500, null);

        report(token).expectStatus().isAccepted();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> report(token).expectStatus().isOk()
                .expectBody().jsonPath("$.strengths[0]").isEqualTo("stand-in strengths 1"));
        assertThat(llmRequests()).isEqualTo(3);
        assertThat(LLM.responsesCompleted()).isEqualTo(1);
        assertThat(meters.find("gen_ai.client.operation.duration").tag("error.type", "500").timer()).isNotNull();
    }

    @Test
    void aPermanentFailureReachesTheDeadLetterTopicAndTheReportCanBeRequestedAgain() {
        LLM.failAlways(500);

        report(token).expectStatus().isAccepted();

        ConsumerRecord<String, byte[]> letter = TopicRecords.withKey("sift.report.requested.v1-dlt", instructor, 1).getFirst();
        ReportRequested request = Topics.REPORT_REQUESTED.valueSerde().fromJson(letter.value());
        assertThat(request.instructorId()).isEqualTo(instructor);
        assertThat(letter.headers().lastHeader("kafka_original-topic")).isNotNull();
        assertThat(letter.headers().lastHeader("kafka_exception-message")).isNotNull();
        // One attempt on the topic and one per retry delay (300 ms, 600 ms).
        assertThat(llmRequests()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(status()));
        report(token).expectStatus().isAccepted();
        assertThat(status()).isEqualTo("GENERATING");

        LLM.recover();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> report(token).expectStatus().isOk()
                .expectBody().jsonPath("$.suggestions[0]").isEqualTo("stand-in suggestions 1"));
        assertThat(TopicRecords.withKey(Topics.REPORT_REQUESTED.name(), instructor, 2)).hasSize(2);
        assertThat(LLM.responsesCompleted()).isEqualTo(1);
    }

    @Test
    void aClientErrorFromTheProviderIsNotRetried() {
        LLM.failNext(1, 400, null);

        report(token).expectStatus().isAccepted();

        TopicRecords.withKey("sift.report.requested.v1-dlt", instructor, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(status()));
        assertThat(llmRequests()).isEqualTo(1);
    }

    private long llmRequests() {
        return LLM.responses().stream().filter(r -> r.body().path("input").asString().contains(marker)).count();
    }

    private String status() {
        return db.sql("SELECT status FROM instructor_report WHERE instructor_id = :id").bind("id", instructor)
                .map((row, meta) -> row.get(0, String.class)).one().block(Duration.ofSeconds(10));
    }

    private long count(String table) {
        return db.sql("SELECT count(*) FROM " + table + " WHERE instructor_id = :id").bind("id", instructor)
                .map((row, meta) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
    }

    private WebTestClient.ResponseSpec report(String bearer) {
        return http.get().uri("/api/instructors/" + instructor + "/report")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer).exchange();
    }

}
