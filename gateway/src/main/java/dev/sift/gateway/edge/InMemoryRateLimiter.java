package dev.sift.gateway.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Buckets in this process: right for one gateway instance. Idle buckets are dropped after an hour
 * and the number of buckets is bounded, so a flood of fresh subjects cannot exhaust memory.
 */
final class InMemoryRateLimiter implements RateLimiter {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000)
            .build();

    @Override
    public Mono<Decision> tryConsume(String key, Plan plan) {
        Bucket bucket = buckets.get(plan.name() + ':' + key,
                k -> Bucket.builder().addLimit(Buckets.configuration(plan).getBandwidths()[0]).build());
        return Mono.just(Buckets.decision(bucket.tryConsumeAndReturnRemaining(1)));
    }
}
