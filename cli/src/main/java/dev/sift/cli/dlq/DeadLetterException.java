package dev.sift.cli.dlq;

import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;

/** A {@code dlq} command could not do its work; the message is the one-line reason an operator sees (exit 1). */
final class DeadLetterException extends RuntimeException {

    DeadLetterException(String message) {
        super(message);
    }

    DeadLetterException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    static DeadLetterException from(@Nullable Throwable cause) {
        if (cause instanceof DeadLetterException known) {
            return known;
        }
        if (cause instanceof TimeoutException) {
            return new DeadLetterException("Kafka did not answer in time (is --bootstrap-server right?): "
                    + firstLine(cause.getMessage()), cause);
        }
        String reason = cause == null ? "unknown error"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage()));
        return new DeadLetterException(reason, cause);
    }

    private static String firstLine(@Nullable String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
