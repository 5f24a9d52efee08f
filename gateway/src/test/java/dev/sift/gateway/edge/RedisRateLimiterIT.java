package dev.sift.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The Redis-backed buckets against a real Redis ({@code SIFT_REDIS_URL}, default
 * {@code redis://127.0.0.1:6379}): two gateway instances share one budget per subject.
 */
class RedisRateLimiterIT {

    private static final String URL = System.getenv().getOrDefault("SIFT_REDIS_URL", "redis://127.0.0.1:6379");
    private static RedisClient client;

    @BeforeAll
    static void connect() {
        URI uri = URI.create(URL);
        assumeTrue(reachable(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), "no Redis at " + URL);
        client = RedisClient.create(RedisURI.create(URL));
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.shutdown();
        }
    }

    @Test
    void twoGatewaysShareOneBucketPerSubject() {
        RateLimiter first = new RedisRateLimiter(client);
        RateLimiter second = new RedisRateLimiter(client);
        RateLimiter.Plan plan = new RateLimiter.Plan("it-" + UUID.randomUUID(), 3, 1, Duration.ofMinutes(1));
        String subject = UUID.randomUUID().toString();

        assertThat(first.tryConsume(subject, plan).block().allowed()).isTrue();
        assertThat(second.tryConsume(subject, plan).block().allowed()).isTrue();
        assertThat(first.tryConsume(subject, plan).block().remaining()).isZero();

        RateLimiter.Decision denied = second.tryConsume(subject, plan).block();
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfterSeconds()).isBetween(1L, 60L);
        assertThat(first.tryConsume("someone-else", plan).block().allowed()).isTrue();
    }

    @Test
    void redisIsUsedWhenConfiguredAndMemoryOtherwise() throws Exception {
        EdgeConfiguration configuration = new EdgeConfiguration();
        assertThat(configuration.rateLimiter(new MockEnvironment())).isInstanceOf(InMemoryRateLimiter.class);
        RateLimiter redis = configuration.rateLimiter(new MockEnvironment().withProperty("spring.data.redis.url", URL));
        try {
            assertThat(redis).isInstanceOf(EdgeConfiguration.ClosingRedisRateLimiter.class);
            RateLimiter.Plan plan = new RateLimiter.Plan("it-" + UUID.randomUUID(), 1, 1, Duration.ofMinutes(1));
            assertThat(redis.tryConsume("s", plan).block().allowed()).isTrue();
            assertThat(redis.tryConsume("s", plan).block().allowed()).isFalse();
        } finally {
            ((EdgeConfiguration.ClosingRedisRateLimiter) redis).destroy();
        }
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
