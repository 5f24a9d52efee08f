package dev.sift.gateway.edge;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** Token buckets by key: one per subject for the API, one per client address for guest tokens. */
public interface RateLimiter {

    /** Takes one token from the bucket {@code key} of this plan. */
    Mono<Decision> tryConsume(String key, Plan plan);

    /** A bucket's shape: {@code capacity} tokens at most, {@code refillTokens} added every {@code refillPeriod}. */
    record Plan(String name, long capacity, long refillTokens, Duration refillPeriod) {
    }

    /** Whether the request may pass; when not, how long until a token is available. */
    record Decision(boolean allowed, long remaining, Duration retryAfter) {

        static Decision allow(long remaining) {
            return new Decision(true, remaining, Duration.ZERO);
        }

        /** Whole seconds for {@code Retry-After}, at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }
}
