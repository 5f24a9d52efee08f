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
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/instructors/{id}/report}: 200 with the report of the current period, or 202
 * {@code {"status": "GENERATING"}} with {@code Retry-After}. An INSTRUCTOR reads only their own
 * ({@code sub} = id), an ADMIN anyone's.
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
    Mono<ResponseEntity<Object>> report(@PathVariable String id) {
        return SiftIdentity.current()
                .switchIfEmpty(Mono.error(() -> new AccessDeniedException("no verified token")))
                .flatMap(caller -> caller.hasRole("ADMIN") || (caller.hasRole("INSTRUCTOR") && caller.subject().equals(id))
                        ? requests.answer(id)
                        : Mono.error(new AccessDeniedException("may not read the report of instructor " + id)))
                .map(answer -> answer.report() != null ? ResponseEntity.ok(answer.report())
                        : ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                                .body(Map.of("status", "GENERATING")));
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
