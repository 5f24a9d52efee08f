package dev.sift.report.reports;

import dev.sift.security.SiftIdentity;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/instructors/{id}/report}: 200 with the report of the current period, or 202
 * {@code {"status": "GENERATING"}} with {@code Retry-After}. An INSTRUCTOR reads only their own
 * ({@code sub} = id), an ADMIN anyone's. Most such requests are answered by {@link ReportFastPath} before they
 * get here; this is the path for everything else, errors included.
 */
@RestController
class ReportController {

    private final ReportRequests requests;
    private final String retryAfterSeconds;

    ReportController(ReportRequests requests, ReportProperties properties) {
        this.requests = requests;
        this.retryAfterSeconds = Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
    }

    @GetMapping("/api/instructors/{id}/report")
    Mono<ResponseEntity<Object>> report(@PathVariable String id, ServerWebExchange exchange) {
        return SiftIdentity.current()
                .switchIfEmpty(Mono.error(() -> new AccessDeniedException("no verified token")))
                .flatMap(caller -> mayRead(caller, id)
                        ? lookup(id, exchange)
                        : Mono.error(new AccessDeniedException("may not read the report of instructor " + id)))
                .map(answer -> answer.report() != null ? ResponseEntity.ok(answer.report())
                        : ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                                .body(Map.of("status", "GENERATING")));
    }

    /** The role rule, shared with {@link ReportFastPath}: an INSTRUCTOR reads their own report, an ADMIN anyone's. */
    static boolean mayRead(SiftIdentity caller, String instructorId) {
        return caller.hasRole("ADMIN") || (caller.hasRole("INSTRUCTOR") && caller.subject().equals(instructorId));
    }

    /**
     * A request that {@link ReportFastPath} let through after the lookup it shared failed gets that lookup's outcome,
     * exactly as if it had shared the lookup here; every other request asks {@link ReportRequests}.
     */
    private Mono<ReportRequests.Answer> lookup(String id, ServerWebExchange exchange) {
        Mono<ReportRequests.Answer> shared = exchange.getAttribute(ReportFastPath.SHARED_LOOKUP);
        return shared != null ? shared : requests.answer(id);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notPublished(ReportRequestNotPublishedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Kafka did not acknowledge the report request; retry later");
        problem.setType(URI.create("https://sift.dev/problems/kafka-unavailable"));
        problem.setTitle("Report not requested");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(problem);
    }
}
