package dev.sift.feedback.intake;

import dev.sift.security.SiftIdentity;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /api/feedback} (docs/contracts.md, REST API). */
@RestController
class FeedbackController {

    static final int MAX_IDEMPOTENCY_KEY = 255;

    private final FeedbackIntake intake;

    FeedbackController(FeedbackIntake intake) {
        this.intake = intake;
    }

    @PostMapping(path = "/api/feedback", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, String>>> submit(@RequestBody(required = false) @Nullable FeedbackRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
        ValidFeedback feedback = ValidFeedback.of(request);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw new InvalidFeedbackException("Idempotency-Key", "must be 1.." + MAX_IDEMPOTENCY_KEY + " characters");
        }
        return SiftIdentity.current()
                .switchIfEmpty(Mono.error(() -> new AccessDeniedException("no verified token")))
                .flatMap(caller -> {
                    if (!caller.hasAnyRole("MEMBER", "INSTRUCTOR", "ADMIN")) {
                        return Mono.error(new AccessDeniedException("submitting feedback needs MEMBER, INSTRUCTOR or ADMIN"));
                    }
                    return intake.submit(caller, feedback, idempotencyKey);
                })
                .map(accepted -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .location(URI.create("/api/feedback/" + accepted.id()))
                        .body(Map.of("id", accepted.id().toString(), "status", "ACCEPTED")));
    }
}
