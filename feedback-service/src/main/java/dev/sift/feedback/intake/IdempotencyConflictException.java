package dev.sift.feedback.intake;

/** An Idempotency-Key is reused for another request, or its first request has not finished yet. */
final class IdempotencyConflictException extends RuntimeException {

    private final boolean inProgress;

    IdempotencyConflictException(String message, boolean inProgress) {
        super(message);
        this.inProgress = inProgress;
    }

    boolean inProgress() {
        return inProgress;
    }
}
