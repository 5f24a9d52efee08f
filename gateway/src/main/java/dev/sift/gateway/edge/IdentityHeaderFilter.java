package dev.sift.gateway.edge;

import java.util.List;
import java.util.Locale;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Removes identity headers a client sent ({@code X-User-Id}, {@code X-Org-Id}, {@code X-Forwarded-User}, …)
 * before a request is forwarded, so no service can be fooled by a header it might trust; identity
 * reaches services only inside the verified token in {@code Authorization}.
 */
final class IdentityHeaderFilter implements GlobalFilter, Ordered {

    private final List<String> prefixes;

    IdentityHeaderFilter(List<String> prefixes) {
        this.prefixes = prefixes.stream().map(prefix -> prefix.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        List<String> spoofed = exchange.getRequest().getHeaders().headerNames().stream()
                .filter(this::isIdentityHeader).toList();
        if (spoofed.isEmpty()) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(headers -> spoofed.forEach(headers::remove)).build();
        return chain.filter(exchange.mutate().request(request).build());
    }

    boolean isIdentityHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return prefixes.stream().anyMatch(lower::startsWith);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
