package dev.sift.gateway.edge;

import dev.sift.security.ProblemResponses;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Answers 413 for request bodies over the limit: at once when {@code Content-Length} says so, and
 * for chunked bodies as soon as the streamed bytes pass it (the body is counted, not buffered).
 * Runs before authentication, so an oversized upload costs no signature check.
 */
final class RequestBodyLimitFilter implements WebFilter, Ordered {

    private final DataSize limit;

    RequestBodyLimitFilter(DataSize limit) {
        this.limit = limit;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit.toBytes()) {
            return tooLarge(exchange);
        }
        // Without Content-Length a body exists only when chunked; leave body-less requests untouched
        // (decorating them would make the proxy stream an empty body to the service).
        if (declared >= 0 || !exchange.getRequest().getHeaders().containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            return chain.filter(exchange);
        }
        AtomicLong seen = new AtomicLong();
        ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit.toBytes()) {
                        org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                        sink.error(new PayloadTooLargeException(limit));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    Mono<Void> tooLarge(ServerWebExchange exchange) {
        return ProblemResponses.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                new PayloadTooLargeException(limit).getMessage());
    }

    @Override
    public int getOrder() {
        // Before Spring Security's WebFilterChainProxy (order -100).
        return -200;
    }
}
