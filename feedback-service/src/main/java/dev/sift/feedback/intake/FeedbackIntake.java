package dev.sift.feedback.intake;

import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.kafka.EventPublisher;
import dev.sift.security.SiftIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Accepts one feedback: publishes {@code sift.feedback.submitted.v1} keyed by organisation and
 * completes only after the broker's acknowledgement. With an {@code Idempotency-Key}, the first
 * request of a subject wins and a repeat within 24 hours gets the same id and publishes nothing.
 */
@Service
class FeedbackIntake {

    /** How long a claimed key may stay unacknowledged before a retry re-publishes it (a crash in between). */
    static final Duration STALE_PENDING = Duration.ofSeconds(30);
    /** The answer waits for Kafka at most this long; past it the client gets 503 and may retry. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    /** What the client is told: the feedback's id, and whether this request published it. */
    record Accepted(UUID id, boolean published) {
    }

    private final EventPublisher publisher;
    private final IdempotencyKeys keys;
    private final Clock clock;

    FeedbackIntake(EventPublisher publisher, IdempotencyKeys keys) {
        this.publisher = publisher;
        this.keys = keys;
        this.clock = Clock.systemUTC();
    }

    Mono<Accepted> submit(SiftIdentity caller, ValidFeedback feedback, @Nullable String idempotencyKey) {
        if (idempotencyKey == null) {
            return publish(caller, feedback, UUID.randomUUID());
        }
        return keys.claim(caller.subject(), idempotencyKey, feedback.fingerprint(), UUID.randomUUID())
                .flatMap(entry -> {
                    if (!entry.fingerprint().equals(feedback.fingerprint())) {
                        return Mono.error(new IdempotencyConflictException(
                                "Idempotency-Key was already used for a different request", false));
                    }
                    if (entry.accepted()) {
                        return Mono.just(new Accepted(entry.feedbackId(), false));
                    }
                    if (!entry.claimedNow() && entry.age().compareTo(STALE_PENDING) < 0) {
                        return Mono.error(new IdempotencyConflictException(
                                "A request with this Idempotency-Key is still in progress", true));
                    }
                    // Claimed now, or left pending by a request that died before Kafka answered: publish
                    // under the recorded id, so the read model's upsert makes a double publish harmless.
                    return publish(caller, feedback, entry.feedbackId())
                            .flatMap(accepted -> keys.markAccepted(caller.subject(), idempotencyKey).thenReturn(accepted));
                });
    }

    private Mono<Accepted> publish(SiftIdentity caller, ValidFeedback feedback, UUID id) {
        FeedbackSubmitted event = new FeedbackSubmitted(id.toString(), caller.organizationId(), caller.subject(),
                feedback.lectureId(), feedback.text(), Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        // Called on an event loop: EventPublisher makes the send itself off it (KafkaProducer.send may wait for
        // metadata or buffer space; FeedbackBlockHoundIT guards it).
        return publisher.publish(Topics.FEEDBACK_SUBMITTED, caller.organizationId(), event)
                .timeout(PUBLISH_TIMEOUT)
                .onErrorMap(KafkaUnavailableException::new)
                .thenReturn(new Accepted(id, true));
    }
}
