package dev.sift.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes RFC 9457 problem documents from filters, where no controller advice reaches: the
 * security chain's 401 and 403, and the gateway's own refusals (413, 429, 503).
 */
public final class ProblemResponses {

    /** Base of the {@code type} URI of every Sift problem; one per kind of error. */
    public static final String TYPE_BASE = "https://sift.dev/problems/";

    private ProblemResponses() {
    }

    /** The problem's type URI for a kind such as {@code invalid-token}. */
    public static URI type(String kind) {
        return URI.create(TYPE_BASE + kind);
    }

    /** A problem document for a controller advice: status, the {@code type} of this kind, title and detail. */
    public static ProblemDetail problem(HttpStatus status, String kind, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(kind));
        problem.setTitle(title);
        return problem;
    }

    /**
     * An unreadable request body: 413 when the codec's size limit cut it off (the cause chain holds a
     * {@link DataBufferLimitException}), else 400 with the reader's reason.
     */
    public static ProblemDetail unreadableBody(ServerWebInputException e, String limit) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataBufferLimitException) {
                return problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
                        "The body exceeds " + limit);
            }
        }
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Unreadable request body",
                e.getReason() == null ? "The body is not valid JSON for this endpoint" : e.getReason());
    }

    /** Completes the exchange with a problem document, unless the response is already committed. */
    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String detail) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(kind).toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", exchange.getRequest().getPath().value());
        byte[] bytes = JsonMapper.shared().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(bytes.length);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }
}
