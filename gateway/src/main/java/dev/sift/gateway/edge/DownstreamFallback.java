package dev.sift.gateway.edge;

import dev.sift.security.ProblemResponses;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Where a route's circuit breaker forwards when the service failed, was too slow or its circuit
 * is open: a 503 (or 504, or 413 when the body was the problem) problem+json instead of a stack trace.
 */
final class DownstreamFallback {

    static final String PATH = "/fallback/{route}";

    Mono<ServerResponse> handle(ServerRequest request) {
        Throwable failure = request.exchange().getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        GatewayErrorHandler.Problem problem = failure == null
                ? new GatewayErrorHandler.Problem(HttpStatus.SERVICE_UNAVAILABLE,
                        "downstream-unavailable", "The service is unavailable; try again later")
                : GatewayErrorHandler.classify(failure);
        if (problem.status().value() == 500) {
            problem = new GatewayErrorHandler.Problem(HttpStatus.SERVICE_UNAVAILABLE,
                    "downstream-unavailable", "The service is unavailable; try again later");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemResponses.type(problem.kind()).toString());
        body.put("title", problem.status().getReasonPhrase());
        body.put("status", problem.status().value());
        body.put("detail", problem.detail() + " (" + request.pathVariable("route") + ")");
        Set<URI> original = request.exchange().getAttribute(ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR);
        body.put("instance", original == null || original.isEmpty()
                ? request.path() : original.iterator().next().getPath());
        return ServerResponse.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(body);
    }
}
