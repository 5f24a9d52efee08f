package dev.sift.gateway.edge;

import dev.sift.gateway.GatewayProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisClient;
import io.netty.channel.ChannelOption;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebExceptionHandler;

/** The edge behaviour of the gateway: header hygiene, limits, resilience, CORS and error rendering. */
@Configuration(proxyBeanMethods = false)
class EdgeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EdgeConfiguration.class);

    @Bean
    IdentityHeaderFilter identityHeaderFilter(GatewayProperties gateway) {
        return new IdentityHeaderFilter(gateway.identityHeaderPrefixes());
    }

    @Bean
    RequestBodyLimitFilter requestBodyLimitFilter(GatewayProperties gateway) {
        return new RequestBodyLimitFilter(gateway.maxRequestBody());
    }

    @Bean
    RateLimiter rateLimiter(Environment environment) {
        String url = environment.getProperty("spring.data.redis.url");
        String host = environment.getProperty("spring.data.redis.host");
        if ((url == null || url.isBlank()) && (host == null || host.isBlank())) {
            log.info("Rate limits kept in memory (set spring.data.redis.host or .url to share them between gateways)");
            return new InMemoryRateLimiter();
        }
        RedisURI uri;
        if (url != null && !url.isBlank()) {
            uri = RedisURI.create(url);
        } else {
            RedisURI.Builder builder = RedisURI.builder().withHost(host)
                    .withPort(environment.getProperty("spring.data.redis.port", Integer.class, 6379))
                    .withDatabase(environment.getProperty("spring.data.redis.database", Integer.class, 0))
                    .withTimeout(Duration.ofSeconds(2));
            String password = environment.getProperty("spring.data.redis.password");
            if (password != null && !password.isBlank()) {
                builder.withPassword(password.toCharArray());
            }
            uri = builder.build();
        }
        log.info("Rate limits kept in Redis at {}:{}", uri.getHost(), uri.getPort());
        return new ClosingRedisRateLimiter(RedisClient.create(uri));
    }

    /** The Redis limiter, owning its client so the context shuts it down. */
    static final class ClosingRedisRateLimiter implements RateLimiter, DisposableBean {
        private final RedisClient client;
        private final RedisRateLimiter limiter;

        ClosingRedisRateLimiter(RedisClient client) {
            this.client = client;
            this.limiter = new RedisRateLimiter(client);
        }

        @Override
        public reactor.core.publisher.Mono<Decision> tryConsume(String key, Plan plan) {
            return limiter.tryConsume(key, plan);
        }

        @Override
        public void destroy() {
            client.shutdown();
        }
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "sift.gateway.rate-limit.enabled", matchIfMissing = true)
    SubjectRateLimitFilter subjectRateLimitFilter(RateLimiter limiter, GatewayProperties gateway) {
        GatewayProperties.RateLimit limit = gateway.rateLimit();
        return new SubjectRateLimitFilter(limiter,
                new RateLimiter.Plan("subject", limit.capacity(), limit.refillTokens(), limit.refillPeriod()));
    }

    @Bean
    WebExceptionHandler gatewayErrorHandler() {
        return new GatewayErrorHandler();
    }

    /**
     * Requests to services are small writes on kept-alive connections: without TCP_NODELAY, Nagle's
     * algorithm meets the service's delayed ACK and each request can wait ~40 ms.
     */
    @Bean
    HttpClientCustomizer noDelayForServices() {
        return client -> client.option(ChannelOption.TCP_NODELAY, true);
    }

    /**
     * A service that has not answered within {@code sift.gateway.downstream-timeout} is answered 504. Reactor
     * Netty's response timeout is a read-timeout handler on the connection, run by its event loop; it replaces
     * SCG's {@code response-timeout} and the circuit breaker's time limiter, which each put a timeout operator
     * (a task on a shared scheduler) around every request.
     */
    @Bean
    HttpClientCustomizer responseTimeoutForServices(GatewayProperties gateway) {
        return client -> client.responseTimeout(gateway.downstreamTimeout());
    }

    /** The same for answers to clients on kept-alive connections (measured: ~40 ms per request without). */
    @Bean
    NettyServerCustomizer noDelayForClients() {
        return server -> server.childOption(ChannelOption.TCP_NODELAY, true);
    }

    @Bean
    RouterFunction<ServerResponse> downstreamFallbackRoutes() {
        return RouterFunctions.route(RequestPredicates.path(DownstreamFallback.PATH), new DownstreamFallback()::handle);
    }

    /**
     * Every route's circuit opens when half of its last 20 calls failed (at least 10), and tries
     * again after 10 s. Slow calls are cut by the HTTP client's response timeout (a failure the
     * circuit counts), not by a time limiter (off in gateway.properties).
     */
    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakerDefaults() {
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                .circuitBreakerConfig(CircuitBreakerConfig.custom()
                        .slidingWindowSize(20)
                        .minimumNumberOfCalls(10)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(Duration.ofSeconds(10))
                        .permittedNumberOfCallsInHalfOpenState(3)
                        .build())
                .build());
    }

    @Bean
    @ConditionalOnProperty(name = "sift.gateway.cors.allowed-origins")
    CorsConfigurationSource corsConfigurationSource(GatewayProperties gateway) {
        GatewayProperties.Cors cors = gateway.cors();
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(cors.allowedOrigins());
        configuration.setAllowedMethods(cors.allowedMethods());
        configuration.setAllowedHeaders(cors.allowedHeaders());
        configuration.setExposedHeaders(cors.exposedHeaders());
        configuration.setMaxAge(cors.maxAge());
        // Bearer tokens, not cookies: browsers need no credentials mode.
        configuration.setAllowCredentials(false);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", configuration);
        return source;
    }
}
