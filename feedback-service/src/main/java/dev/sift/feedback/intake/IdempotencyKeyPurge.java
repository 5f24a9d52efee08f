package dev.sift.feedback.intake;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes {@code Idempotency-Key} rows older than 24 hours, every {@code sift.feedback.idempotency.purge-interval}
 * (default one hour). Expired keys are already ignored by {@link IdempotencyKeys#claim}; this keeps the table
 * from growing with every keyed request ever made. Replicas may purge at the same time: a delete of rows
 * another replica deleted first deletes nothing.
 */
@Component
public class IdempotencyKeyPurge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);
    /** Rows per statement, so one purge never holds a long lock or a huge transaction. */
    static final int BATCH = 10_000;

    private static final String DELETE_EXPIRED = """
            DELETE FROM idempotency_key WHERE ctid IN (
                SELECT ctid FROM idempotency_key WHERE created_at < now() - interval '24 hours' LIMIT %d)"""
            .formatted(BATCH);

    private final DatabaseClient db;
    private final Duration interval;
    private volatile Disposable schedule;

    IdempotencyKeyPurge(DatabaseClient db,
            @Value("${sift.feedback.idempotency.purge-interval:PT1H}") Duration interval) {
        this.db = db;
        this.interval = interval;
    }

    /** Deletes every expired key, batch by batch; emits how many rows went. */
    public Mono<Long> purgeExpired() {
        return db.sql(DELETE_EXPIRED).fetch().rowsUpdated()
                .expand(deleted -> deleted == BATCH ? db.sql(DELETE_EXPIRED).fetch().rowsUpdated() : Mono.empty())
                .reduce(0L, Long::sum);
    }

    @Override
    public void start() {
        schedule = Flux.interval(interval, interval)
                .concatMap(tick -> purgeExpired()
                        .doOnNext(deleted -> {
                            if (deleted > 0) {
                                log.info("Deleted {} expired Idempotency-Key rows", deleted);
                            }
                        })
                        // A failed purge (Postgres away) is tried again at the next tick.
                        .onErrorResume(e -> {
                            log.warn("Cannot purge expired Idempotency-Key rows: {}", e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = schedule;
        if (running != null) {
            running.dispose();
        }
        schedule = null;
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
