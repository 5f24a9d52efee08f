package dev.sift.gateway.edge;

import dev.sift.security.ProblemResponses;
import java.net.ConnectException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Every failure the gateway itself answers becomes problem+json: unknown paths, oversized bodies,
 * unreachable or slow services, and anything unexpected (logged, without details for the client).
 * Ordered before Boot's error handler, whose JSON is not RFC 9457.
 */
final class GatewayErrorHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (failure.getClass().getName().equals("reactor.netty.channel.AbortedException")) {
            // The client went away: nobody is left to answer.
            return Mono.empty();
        }
        Problem problem = classify(failure);
        if (problem.status().is5xxServerError() && problem.status() != HttpStatus.SERVICE_UNAVAILABLE
                && problem.status() != HttpStatus.GATEWAY_TIMEOUT) {
            log.error("Gateway failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure);
        }
        return ProblemResponses.write(exchange, problem.status(), problem.kind(), problem.detail());
    }

    @Override
    public int getOrder() {
        // Before Boot's ErrorWebExceptionHandler (-1), which would answer in its own format.
        return -2;
    }

    /** What a failure means for the client. */
    record Problem(HttpStatus status, String kind, String detail) {
    }

    static Problem classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return new Problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", tooLarge.getMessage());
            }
            if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException
                    || cause instanceof ResponseStatusException rse && rse.getStatusCode().value() == 504) {
                return new Problem(HttpStatus.GATEWAY_TIMEOUT, "downstream-timeout", "The service did not answer in time");
            }
            if (cause instanceof ConnectException
                    || cause.getClass().getName().equals("io.github.resilience4j.circuitbreaker.CallNotPermittedException")
                    || cause instanceof ResponseStatusException rse && rse.getStatusCode().value() == 503) {
                return new Problem(HttpStatus.SERVICE_UNAVAILABLE, "downstream-unavailable",
                        "The service is unavailable; try again later");
            }
            if (cause instanceof ResponseStatusException rse) {
                HttpStatusCode code = rse.getStatusCode();
                HttpStatus status = HttpStatus.resolve(code.value());
                if (status == null) {
                    status = HttpStatus.INTERNAL_SERVER_ERROR;
                }
                String detail = status == HttpStatus.NOT_FOUND ? "Nothing is served at this path"
                        : rse.getReason() == null ? status.getReasonPhrase() : rse.getReason();
                return new Problem(status, kindOf(status), detail);
            }
        }
        return new Problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "The gateway failed to handle the request");
    }

    private static String kindOf(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "not-found";
            case METHOD_NOT_ALLOWED -> "method-not-allowed";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
            case CONTENT_TOO_LARGE -> "payload-too-large";
            case BAD_REQUEST -> "bad-request";
            default -> status.is5xxServerError() ? "internal-error" : "error";
        };
    }
}
