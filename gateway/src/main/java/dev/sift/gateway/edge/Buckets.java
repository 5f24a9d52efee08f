package dev.sift.gateway.edge;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/** Translates between a {@link RateLimiter.Plan} and Bucket4j. */
final class Buckets {

    private Buckets() {
    }

    static BucketConfiguration configuration(RateLimiter.Plan plan) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(plan.capacity())
                        .refillGreedy(plan.refillTokens(), plan.refillPeriod()).build())
                .build();
    }

    static RateLimiter.Decision decision(ConsumptionProbe probe) {
        return probe.isConsumed()
                ? RateLimiter.Decision.allow(probe.getRemainingTokens())
                : new RateLimiter.Decision(false, 0, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
