package dev.sift.report.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code instructor_report} rows and the material they are written from. The claim is the database's
 * unique key: of all requests, on all replicas, that try to insert the row of one instructor and period, one
 * gets it back from {@code RETURNING}; the others get nothing and answer GENERATING.
 */
@Repository
class ReportStore {

    enum Status { GENERATING, COMPLETED, FAILED }

    /** One report row as stored; the report fields are set once COMPLETED. */
    record Row(String instructorId, String period, Status status, UUID requestId, @Nullable InstructorReport report,
            long inputTokens, long outputTokens, int questionCount, int reviewCount) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private static final String FIND = """
            SELECT instructor_id, period, status, request_id, strengths::text AS strengths,
                   weaknesses::text AS weaknesses, suggestions::text AS suggestions, model, generated_at,
                   input_tokens, output_tokens, question_count, review_count
            FROM instructor_report WHERE instructor_id = :instructor AND period = :period""";

    private static final String CLAIM = """
            INSERT INTO instructor_report (instructor_id, period, status, request_id, claimed_at)
            VALUES (:instructor, :period, 'GENERATING', :requestId, now())
            ON CONFLICT (instructor_id, period) DO NOTHING
            RETURNING request_id""";

    // A FAILED report, or a claim nobody renewed within the timeout, goes to whoever updates it first: the row
    // lock makes a concurrent second UPDATE see the first one's GENERATING and match nothing.
    private static final String RECLAIM = """
            UPDATE instructor_report SET status = 'GENERATING', request_id = :requestId, claimed_at = now(),
                failure = NULL
            WHERE instructor_id = :instructor AND period = :period
              AND (status = 'FAILED' OR (status = 'GENERATING' AND claimed_at < now() - make_interval(secs => :timeout)))
            RETURNING request_id""";

    private final DatabaseClient db;

    ReportStore(DatabaseClient db) {
        this.db = db;
    }

    Mono<Row> find(String instructorId, String period) {
        return db.sql(FIND).bind("instructor", instructorId).bind("period", period).map((row, meta) -> {
            Status status = Status.valueOf(row.get("status", String.class));
            InstructorReport report = null;
            if (status == Status.COMPLETED) {
                report = new InstructorReport(instructorId, period, strings(row.get("strengths", String.class)),
                        strings(row.get("weaknesses", String.class)), strings(row.get("suggestions", String.class)),
                        row.get("model", String.class), row.get("generated_at", OffsetDateTime.class).toInstant());
            }
            return new Row(instructorId, period, status, row.get("request_id", UUID.class), report,
                    number(row.get("input_tokens", Long.class)), number(row.get("output_tokens", Long.class)),
                    (int) number(row.get("question_count", Integer.class)),
                    (int) number(row.get("review_count", Integer.class)));
        }).one();
    }

    /** The new claim's request id, or empty when the row exists already. */
    Mono<UUID> claim(String instructorId, String period) {
        return db.sql(CLAIM).bind("instructor", instructorId).bind("period", period).bind("requestId", UUID.randomUUID())
                .map((row, meta) -> row.get("request_id", UUID.class)).one();
    }

    /** The new claim's request id, or empty unless the row was FAILED or its claim stale. */
    Mono<UUID> reclaim(String instructorId, String period, Duration claimTimeout) {
        return db.sql(RECLAIM).bind("instructor", instructorId).bind("period", period)
                .bind("requestId", UUID.randomUUID()).bind("timeout", (double) claimTimeout.toSeconds())
                .map((row, meta) -> row.get("request_id", UUID.class)).one();
    }

    /** Renews a claim while its generation is being attempted; false when the claim is no longer current. */
    Mono<Boolean> renew(UUID requestId) {
        return db.sql("UPDATE instructor_report SET claimed_at = now() WHERE request_id = :requestId AND status = 'GENERATING'")
                .bind("requestId", requestId).fetch().rowsUpdated().map(updated -> updated > 0);
    }

    /** Stores the report if its claim is still current; false when it was not (superseded or finished). */
    Mono<Boolean> complete(UUID requestId, WrittenReport report, Instant generatedAt) {
        return db.sql("""
                UPDATE instructor_report SET status = 'COMPLETED', strengths = CAST(:strengths AS jsonb),
                    weaknesses = CAST(:weaknesses AS jsonb), suggestions = CAST(:suggestions AS jsonb), model = :model,
                    input_tokens = :inputTokens, output_tokens = :outputTokens, question_count = :questions,
                    review_count = :reviews, generated_at = :generatedAt, failure = NULL
                WHERE request_id = :requestId AND status = 'GENERATING'""")
                .bind("strengths", JSON.writeValueAsString(report.strengths()))
                .bind("weaknesses", JSON.writeValueAsString(report.weaknesses()))
                .bind("suggestions", JSON.writeValueAsString(report.suggestions()))
                .bind("model", report.model()).bind("inputTokens", report.inputTokens())
                .bind("outputTokens", report.outputTokens()).bind("questions", report.questionCount())
                .bind("reviews", report.reviewCount())
                .bind("generatedAt", OffsetDateTime.ofInstant(generatedAt, ZoneOffset.UTC))
                .bind("requestId", requestId)
                .fetch().rowsUpdated().map(updated -> updated > 0);
    }

    /** Marks a claim FAILED so that the next request claims the report again. */
    Mono<Boolean> fail(UUID requestId, String reason) {
        return db.sql("""
                UPDATE instructor_report SET status = 'FAILED', failure = :reason
                WHERE request_id = :requestId AND status = 'GENERATING'""")
                .bind("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason).bind("requestId", requestId)
                .fetch().rowsUpdated().map(updated -> updated > 0);
    }

    /** The newest questions and reviews of an instructor. */
    Mono<Material> material(String instructorId, int maxQuestions, int maxReviews) {
        Mono<List<Material.Question>> questions = db.sql("""
                SELECT lecture_id, text FROM lecture_question WHERE instructor_id = :instructor
                ORDER BY asked_at DESC, question_id LIMIT :limit""")
                .bind("instructor", instructorId).bind("limit", maxQuestions)
                .map((row, meta) -> new Material.Question(row.get("lecture_id", String.class), row.get("text", String.class)))
                .all().collectList();
        Mono<List<Material.Review>> reviews = db.sql("""
                SELECT lecture_id, rating, text FROM lecture_review WHERE instructor_id = :instructor
                ORDER BY reviewed_at DESC, review_id LIMIT :limit""")
                .bind("instructor", instructorId).bind("limit", maxReviews)
                .map((row, meta) -> new Material.Review(row.get("lecture_id", String.class),
                        row.get("rating", Short.class), row.get("text", String.class)))
                .all().collectList();
        return Mono.zip(questions, reviews).map(both -> new Material(both.getT1(), both.getT2()));
    }

    private static List<String> strings(@Nullable String json) {
        return json == null ? List.of() : JSON.readValue(json, STRINGS);
    }

    private static long number(@Nullable Number value) {
        return value == null ? 0 : value.longValue();
    }
}
