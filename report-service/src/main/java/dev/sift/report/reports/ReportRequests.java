package dev.sift.report.reports;

import dev.sift.contracts.Topics;
import dev.sift.contracts.report.ReportRequested;
import dev.sift.kafka.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Answers a report request: the stored report of the current period, or GENERATING after making sure exactly
 * one generation is under way. Which request starts it is decided by Postgres ({@link ReportStore#claim}), so
 * replicas agree; the winner publishes {@code sift.report.requested.v1} and answers only after Kafka's
 * acknowledgement, and if Kafka refuses, it gives the claim up (FAILED) so that the next request claims again.
 *
 * <p>Within one replica, identical requests that arrive while a lookup for the same instructor and period is in
 * flight share that lookup instead of each querying Postgres, and completed reports (immutable for their period)
 * are kept in memory. Neither changes who wins a claim; both keep a burst of identical requests off the
 * connection pool.
 */
@Service
class ReportRequests {

    private static final Logger log = LoggerFactory.getLogger(ReportRequests.class);
    /** The answer waits for Kafka at most this long; past it the client gets 503 and may retry. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    /** Completed reports kept in memory; past this the cache starts over (a month's reports of a large school). */
    static final int MAX_CACHED = 10_000;
    private static final Answer GENERATING = new Answer(null);

    /** The answer: a report, or null while it is being generated. */
    record Answer(@Nullable InstructorReport report) {
    }

    private record Key(String instructorId, String period) {
    }

    private final ReportStore store;
    private final EventPublisher publisher;
    private final ReportProperties properties;
    private final Clock clock;
    private final long generatingReuseNanos;
    private final Map<Key, Mono<Answer>> inFlight = new ConcurrentHashMap<>();
    private final Map<Key, InstructorReport> completed = new ConcurrentHashMap<>();
    /** When ({@link System#nanoTime()}) a lookup last found the report GENERATING. */
    private final Map<Key, Long> generatingSeen = new ConcurrentHashMap<>();

    ReportRequests(ReportStore store, EventPublisher publisher, ReportProperties properties) {
        this.store = store;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        this.generatingReuseNanos = properties.generatingReuse().toNanos();
    }

    Mono<Answer> answer(String instructorId) {
        Key key = new Key(instructorId, ReportPeriod.current(clock));
        InstructorReport cached = completed.get(key);
        if (cached != null) {
            return Mono.just(new Answer(cached));
        }
        return Mono.defer(() -> {
            Mono<Answer> shared = inFlight.computeIfAbsent(key, k -> resolve(k)
                    .doOnNext(answer -> {
                        if (answer.report() == null) {
                            sawGenerating(k);
                        }
                    })
                    .doFinally(signal -> inFlight.remove(k))
                    .cache());
            return shared;
        });
    }

    /**
     * What this replica knows of a report without a new lookup: the answer (the completed report, or GENERATING when
     * a lookup found it so less than {@code generating-reuse} ago), else the lookup in flight that an identical
     * request may share, else neither ({@link #NOTHING}: only a lookup can tell).
     */
    record Known(@Nullable Answer answer, @Nullable Mono<Answer> lookup) {
        static final Known NOTHING = new Known(null, null);
    }

    /** What is known of the instructor's current report, the period worked out once for both questions. */
    Known known(String instructorId) {
        Key key = new Key(instructorId, ReportPeriod.current(clock));
        InstructorReport report = completed.get(key);
        if (report != null) {
            return new Known(new Answer(report), null);
        }
        Long seen = generatingSeen.get(key);
        if (seen != null && System.nanoTime() - seen < generatingReuseNanos) {
            return new Known(GENERATING, null);
        }
        Mono<Answer> shared = inFlight.get(key);
        return shared == null ? Known.NOTHING : new Known(null, shared);
    }

    /**
     * The report of the instructor and period was just completed or failed here: what a lookup saw before is no
     * longer true, so the next request looks again.
     */
    void settled(String instructorId, String period) {
        generatingSeen.remove(new Key(instructorId, period));
    }

    /**
     * Claims the report in one statement, and reads the row only when it exists already: the claim is what a burst of
     * identical first requests waits for (all but one share it), and under such a burst every round trip to Postgres
     * waits for the cores the burst is using (ReportRequestsBenchmark: 29–65 ms for a claim that reads first).
     */
    private Mono<Answer> resolve(Key key) {
        Mono<Answer> claimed = Mono.defer(() -> store.claim(key.instructorId(), key.period())
                .flatMap(requestId -> request(key, requestId).thenReturn(GENERATING)));
        return claimed.switchIfEmpty(Mono.defer(() -> existing(key)))
                // The row was removed between the claim and the read (an operator's reset): claim it again.
                .switchIfEmpty(claimed);
    }

    private Mono<Answer> existing(Key key) {
        return store.find(key.instructorId(), key.period())
                .flatMap(row -> switch (row.status()) {
                    case COMPLETED -> {
                        remember(key, row.report());
                        yield Mono.just(new Answer(row.report()));
                    }
                    case FAILED, GENERATING -> store.reclaim(key.instructorId(), key.period(), properties.claimTimeout())
                            .flatMap(requestId -> request(key, requestId))
                            .thenReturn(GENERATING);
                });
    }

    /** This request won the claim: start the generation, or give the claim up if Kafka does not take it. */
    private Mono<Void> request(Key key, UUID requestId) {
        ReportRequested event = new ReportRequested(requestId.toString(), key.instructorId(), key.period(),
                Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        return publisher.publish(Topics.REPORT_REQUESTED, key.instructorId(), event)
                .timeout(PUBLISH_TIMEOUT)
                .doOnSuccess(sent -> log.info("Requested report {} of instructor {} for {}", requestId,
                        key.instructorId(), key.period()))
                .then()
                .onErrorResume(e -> store.fail(requestId, "request not published: " + e)
                        .then(Mono.error(new ReportRequestNotPublishedException(e))));
    }

    private void remember(Key key, @Nullable InstructorReport report) {
        if (report == null) {
            return;
        }
        if (completed.size() >= MAX_CACHED) {
            completed.clear();
        }
        completed.put(key, report);
        generatingSeen.remove(key);
    }

    private void sawGenerating(Key key) {
        if (generatingSeen.size() >= MAX_CACHED) {
            generatingSeen.clear();
        }
        generatingSeen.put(key, System.nanoTime());
    }
}
