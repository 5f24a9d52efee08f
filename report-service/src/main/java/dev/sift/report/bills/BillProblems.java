package dev.sift.report.bills;

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

/** Maps bill failures to problem+json (RFC 9457) with a {@code type} per kind. */
@RestControllerAdvice(assignableTypes = BillController.class)
class BillProblems {

    /** 400 naming the offending field in {@code errors[].field}, as feedback-service does. */
    @ExceptionHandler
    ProblemDetail invalid(InvalidBillException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid bill", e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return problem;
    }

    @ExceptionHandler
    ProblemDetail unknown(UnknownBillException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Unknown bill", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail reused(BillIdReusedException e) {
        return problem(HttpStatus.CONFLICT, "bill-id-reused", "Bill id already used", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unavailable(KafkaUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable", "Bill not accepted",
                        "Kafka did not acknowledge the bill in time; retry later (a retry is safe)"));
    }

    /** Unreadable bodies: over the codec limit is 413, anything else that cannot be read is 400. */
    @ExceptionHandler
    ProblemDetail unreadable(ServerWebInputException e) {
        return ProblemResponses.unreadableBody(e, "the server's limit");
    }

    static ProblemDetail problem(HttpStatus status, String kind, String title, String detail) {
        return ProblemResponses.problem(status, kind, title, detail);
    }
}
