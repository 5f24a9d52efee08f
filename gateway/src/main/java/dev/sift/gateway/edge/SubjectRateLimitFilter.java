package dev.sift.gateway.edge;

import dev.sift.security.ProblemResponses;
import java.security.Principal;
import java.util.Optional;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One token bucket per subject ({@code sub} of the verified token) for every routed request; an
 * empty bucket is answered 429 with {@code Retry-After} and never reaches a service.
 */
final class SubjectRateLimitFilter implements GlobalFilter, Ordered {

    private final RateLimiter limiter;
    private final RateLimiter.Plan plan;

    SubjectRateLimitFilter(RateLimiter limiter, RateLimiter.Plan plan) {
        this.limiter = limiter;
        this.plan = plan;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .map(Principal::getName)
                .flatMap(subject -> limiter.tryConsume(subject, plan))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(decision -> {
                    // Routes are reached only with a verified token, so there is always a principal; none
                    // would mean a misconfigured chain, which must not skip the limit silently.
                    if (decision.isEmpty()) {
                        return ProblemResponses.write(exchange, HttpStatus.UNAUTHORIZED, "unauthorized",
                                "A bearer token is required in the Authorization header");
                    }
                    return decision.get().allowed() ? chain.filter(exchange) : tooManyRequests(exchange, decision.get());
                });
    }

    static Mono<Void> tooManyRequests(ServerWebExchange exchange, RateLimiter.Decision decision) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        return ProblemResponses.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                "Too many requests; retry after " + decision.retryAfterSeconds() + " s");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
