package dev.sift.feedback.intake;

import dev.sift.security.ProblemResponses;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** Maps intake failures to problem+json (RFC 9457) with a {@code type} per kind. */
@RestControllerAdvice(assignableTypes = FeedbackController.class)
class IntakeProblems {

    @ExceptionHandler
    ProblemDetail invalid(InvalidFeedbackException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid feedback", e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return problem;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> conflict(IdempotencyConflictException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, e.inProgress() ? "request-in-progress" : "idempotency-key-reused",
                "Idempotency-Key conflict", e.getMessage());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CONFLICT);
        if (e.inProgress()) {
            response.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return response.body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unavailable(KafkaUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable", "Feedback not accepted",
                        "Kafka did not acknowledge the feedback in time; nothing was accepted, retry later"));
    }

    /** Unreadable bodies: a body over the codec limit is 413, anything else that cannot be read is 400. */
    @ExceptionHandler
    ProblemDetail unreadable(ServerWebInputException e) {
        return ProblemResponses.unreadableBody(e, "64 KiB");
    }

    static ProblemDetail problem(HttpStatus status, String kind, String title, String detail) {
        return ProblemResponses.problem(status, kind, title, detail);
    }
}
