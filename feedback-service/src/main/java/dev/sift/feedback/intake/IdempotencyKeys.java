package dev.sift.feedback.intake;

import java.time.Duration;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The {@code Idempotency-Key} ledger in Postgres, so a retried POST is answered the same across
 * restarts and replicas. A key lives 24 hours; an expired key is claimed afresh.
 */
@Repository
class IdempotencyKeys {

    /** What the ledger holds for a key: the request it was first used for and how far it got. */
    record Entry(UUID feedbackId, String fingerprint, boolean accepted, boolean claimedNow, Duration age) {
    }

    // Inserts the key, or takes over a row older than 24 h; either way the row comes back with
    // claimed = true. A live row of another request comes back unchanged with claimed = false.
    private static final String CLAIM = """
            INSERT INTO idempotency_key (subject, key, request_hash, feedback_id, state)
            VALUES (:subject, :key, :hash, :feedbackId, 'PENDING')
            ON CONFLICT (subject, key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, feedback_id = EXCLUDED.feedback_id,
                    state = 'PENDING', created_at = now()
                WHERE idempotency_key.created_at < now() - interval '24 hours'
            RETURNING feedback_id, request_hash, state, true AS claimed, 0::float8 AS age_seconds""";

    private static final String FIND = """
            SELECT feedback_id, request_hash, state, false AS claimed,
                   extract(epoch FROM now() - created_at)::float8 AS age_seconds
            FROM idempotency_key WHERE subject = :subject AND key = :key""";

    private final DatabaseClient db;

    IdempotencyKeys(DatabaseClient db) {
        this.db = db;
    }

    Mono<Entry> claim(String subject, String key, String fingerprint, UUID feedbackId) {
        return db.sql(CLAIM).bind("subject", subject).bind("key", key).bind("hash", fingerprint)
                .bind("feedbackId", feedbackId)
                .map((row, meta) -> entry(row))
                .one()
                .switchIfEmpty(Mono.defer(() -> db.sql(FIND).bind("subject", subject).bind("key", key)
                        .map((row, meta) -> entry(row)).one()));
    }

    Mono<Void> markAccepted(String subject, String key) {
        return db.sql("UPDATE idempotency_key SET state = 'ACCEPTED' WHERE subject = :subject AND key = :key")
                .bind("subject", subject).bind("key", key).then();
    }

    private static Entry entry(io.r2dbc.spi.Readable row) {
        Double age = row.get("age_seconds", Double.class);
        return new Entry(row.get("feedback_id", UUID.class), row.get("request_hash", String.class),
                "ACCEPTED".equals(row.get("state", String.class)), Boolean.TRUE.equals(row.get("claimed", Boolean.class)),
                Duration.ofMillis(Math.round((age == null ? 0 : age) * 1000)));
    }
}
