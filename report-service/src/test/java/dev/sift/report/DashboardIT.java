package dev.sift.report;

import static org.awaitility.Awaitility.await;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.LectureActivityRecorded.Type;
import dev.sift.kafka.EventPublisher;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * Dashboards end to end on the real broker and Postgres: lecture activity published to
 * {@code sift.lecture.activity.v1} shows up in day, week and month buckets, and only the instructor
 * themself or an ADMIN may read it.
 */
class DashboardIT extends RealReportService {

    @Autowired
    EventPublisher publisher;

    String instructor;
    String instructorToken;

    @BeforeEach
    void newInstructor() {
        instructor = UUID.randomUUID().toString();
        instructorToken = TOKENS.mint(instructor, UUID.randomUUID().toString(), "INSTRUCTOR");
    }

    @Test
    void publishedActivityShowsInDayWeekAndMonthBuckets() {
        LectureActivityRecorded payment = event(Type.PAYMENT, "lecture-a", "s1", "10000", "KRW", null, "2026-10-05T09:00:00Z");
        publish(event(Type.ENROLLED, "lecture-a", "s1", null, null, null, "2026-10-05T08:00:00Z"),
                payment, payment,
                event(Type.PAYMENT, "lecture-a", "s2", "20.50", "USD", null, "2026-10-20T12:00:00Z"),
                event(Type.REFUND, "lecture-a", "s1", "3000", "KRW", null, "2026-10-21T12:00:00Z"),
                event(Type.ENROLLED, "lecture-a", "s2", null, null, null, "2026-11-02T23:30:00Z"),
                event(Type.PROGRESS, "lecture-a", "s1", null, null, 1.0, "2026-11-10T10:00:00Z"),
                event(Type.ENROLLED, "lecture-b", "s3", null, null, null, "2026-11-03T10:00:00Z"),
                event(Type.PAYMENT, "lecture-b", "s3", "5000", "KRW", null, "2026-11-03T10:00:00Z"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> dashboard("?from=2026-10-01&to=2026-11-30", instructorToken)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.revenue.length()").isEqualTo(4)
                .jsonPath("$.revenue[0]").isEqualTo(java.util.Map.of("bucket", "2026-10-05", "amount", 10000, "currency", "KRW"))
                .jsonPath("$.revenue[1]").isEqualTo(java.util.Map.of("bucket", "2026-10-20", "amount", 20.5, "currency", "USD"))
                .jsonPath("$.revenue[2]").isEqualTo(java.util.Map.of("bucket", "2026-10-21", "amount", -3000, "currency", "KRW"))
                .jsonPath("$.revenue[3]").isEqualTo(java.util.Map.of("bucket", "2026-11-03", "amount", 5000, "currency", "KRW"))
                .jsonPath("$.enrollments.length()").isEqualTo(3)
                .jsonPath("$.enrollments[0]").isEqualTo(java.util.Map.of("bucket", "2026-10-05", "count", 1))
                .jsonPath("$.enrollments[1]").isEqualTo(java.util.Map.of("bucket", "2026-11-02", "count", 1))
                .jsonPath("$.enrollments[2]").isEqualTo(java.util.Map.of("bucket", "2026-11-03", "count", 1))
                .jsonPath("$.completionRate").isEqualTo(1.0 / 3));

        dashboard("?from=2026-10-01&to=2026-11-30&granularity=month", instructorToken)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.revenue.length()").isEqualTo(3)
                .jsonPath("$.revenue[0]").isEqualTo(java.util.Map.of("bucket", "2026-10-01", "amount", 7000, "currency", "KRW"))
                .jsonPath("$.revenue[1]").isEqualTo(java.util.Map.of("bucket", "2026-10-01", "amount", 20.5, "currency", "USD"))
                .jsonPath("$.revenue[2]").isEqualTo(java.util.Map.of("bucket", "2026-11-01", "amount", 5000, "currency", "KRW"))
                .jsonPath("$.enrollments.length()").isEqualTo(2)
                .jsonPath("$.enrollments[0]").isEqualTo(java.util.Map.of("bucket", "2026-10-01", "count", 1))
                .jsonPath("$.enrollments[1]").isEqualTo(java.util.Map.of("bucket", "2026-11-01", "count", 2));

        // ISO weeks start on Monday: 2026-11-02 (a Monday) and 2026-11-03 share one bucket.
        dashboard("?from=2026-11-01&to=2026-11-30&granularity=week", instructorToken)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.enrollments.length()").isEqualTo(1)
                .jsonPath("$.enrollments[0]").isEqualTo(java.util.Map.of("bucket", "2026-11-02", "count", 2));

        dashboard("?from=2026-10-01&to=2026-11-30&lectureId=lecture-a&granularity=month", instructorToken)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.revenue.length()").isEqualTo(2)
                .jsonPath("$.enrollments[1]").isEqualTo(java.util.Map.of("bucket", "2026-11-01", "count", 1))
                .jsonPath("$.completionRate").isEqualTo(0.5);
    }

    @Test
    void onlyTheInstructorThemselfOrAnAdminMayRead() {
        publish(event(Type.PAYMENT, "lecture-a", "s1", "100", "KRW", null, "2026-11-01T00:00:00Z"));
        String range = "?from=2026-11-01&to=2026-11-01";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> dashboard(range, instructorToken)
                .expectStatus().isOk().expectBody().jsonPath("$.revenue[0].amount").isEqualTo(100));

        dashboard(range, TOKENS.mint("admin-1", UUID.randomUUID().toString(), "ADMIN"))
                .expectStatus().isOk().expectBody().jsonPath("$.revenue[0].amount").isEqualTo(100);
        dashboard(range, TOKENS.mint(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "INSTRUCTOR"))
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(403);
        dashboard(range, TOKENS.mint(instructor, UUID.randomUUID().toString(), "MEMBER"))
                .expectStatus().isForbidden();
        http.get().uri("/api/instructors/" + instructor + "/dashboard" + range).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void healthShowsTheDashboardStreamsRunning() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.dashboardStreams.details.state").isEqualTo("RUNNING"));
    }

    @Test
    void badParametersAreProblems() {
        for (String query : new String[] {"?granularity=year", "?from=yesterday", "?from=2026-11-02&to=2026-11-01",
                "?from=2020-01-01&to=2026-01-01", "?lectureId= "}) {
            dashboard(query, instructorToken)
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("https://sift.dev/problems/invalid-request");
        }
        // Authorization comes first: a stranger learns nothing about the parameters either.
        dashboard("?granularity=year", TOKENS.mint("someone", UUID.randomUUID().toString(), "INSTRUCTOR"))
                .expectStatus().isForbidden();
    }

    private WebTestClient.ResponseSpec dashboard(String query, String token) {
        return http.get().uri("/api/instructors/" + instructor + "/dashboard" + query)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private void publish(LectureActivityRecorded... events) {
        Flux.fromArray(events).concatMap(event -> publisher.publish(Topics.LECTURE_ACTIVITY, instructor, event))
                .blockLast(Duration.ofSeconds(30));
    }

    private LectureActivityRecorded event(Type type, String lecture, String student, @Nullable String amount,
            @Nullable String currency, @Nullable Double progress, String at) {
        return new LectureActivityRecorded(UUID.randomUUID().toString(), type, instructor, lecture, student,
                amount == null ? null : new BigDecimal(amount), currency, progress, Instant.parse(at));
    }
}
