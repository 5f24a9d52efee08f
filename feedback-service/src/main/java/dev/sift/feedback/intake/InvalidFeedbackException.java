package dev.sift.feedback.intake;

/** A request field breaks the contract; becomes a 400 problem naming the field. */
final class InvalidFeedbackException extends RuntimeException {

    private final String field;

    InvalidFeedbackException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
