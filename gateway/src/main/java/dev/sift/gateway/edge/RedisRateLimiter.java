package dev.sift.gateway.edge;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Buckets in Redis (compare-and-swap through Lettuce), shared by every gateway instance. When Redis
 * cannot answer, requests pass: an outage of the limiter must not become an outage of the API.
 */
final class RedisRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

    private final AsyncProxyManager<byte[]> buckets;

    RedisRateLimiter(RedisClient client) {
        this.buckets = Bucket4jLettuce.casBasedBuilder(client)
                // Keys disappear once a bucket would be full again: Redis holds only active subjects.
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .requestTimeout(Duration.ofMillis(500))
                .build()
                .asAsync();
    }

    @Override
    public Mono<Decision> tryConsume(String key, Plan plan) {
        byte[] redisKey = ("sift:rate:" + plan.name() + ':' + key).getBytes(StandardCharsets.UTF_8);
        return Mono.fromFuture(() -> buckets.builder().build(redisKey, Buckets.configuration(plan)).tryConsumeAndReturnRemaining(1))
                .map(Buckets::decision)
                .onErrorResume(e -> {
                    log.warn("Rate limiter unavailable, letting the request pass: {}", e.toString());
                    return Mono.just(Decision.allow(-1));
                });
    }
}
