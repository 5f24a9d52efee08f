package dev.sift.gateway.edge;

import dev.sift.security.ProblemResponses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Errors WebFlux resolves inside its dispatcher (no route, no resource, wrong method) get the same
 * Sift problem types as the gateway's other failures, ahead of the platform's generic
 * {@code about:blank} problem details.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayExceptionAdvice {

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, Object>> handle(ResponseStatusException failure, ServerWebExchange exchange) {
        GatewayErrorHandler.Problem problem = GatewayErrorHandler.classify(failure);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemResponses.type(problem.kind()).toString());
        body.put("title", problem.status().getReasonPhrase());
        body.put("status", problem.status().value());
        body.put("detail", problem.detail());
        body.put("instance", exchange.getRequest().getPath().value());
        return ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .headers(failure.getHeaders()).body(body);
    }
}
