package dev.sift.contracts.lecture;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A student enrolled in, paid for, was refunded for or progressed through a lecture. Topic
 * {@code sift.lecture.activity.v1}, key instructor id. {@code eventId} identifies duplicates.
 * PAYMENT and REFUND carry {@code amount} and {@code currency}; PROGRESS carries {@code progress} in 0..1.
 */
public record LectureActivityRecorded(String eventId, Type type, String instructorId, String lectureId,
        String studentId, @Nullable BigDecimal amount, @Nullable String currency, @Nullable Double progress,
        Instant occurredAt) implements SiftEvent {

    /** What happened. */
    public enum Type { ENROLLED, PAYMENT, REFUND, PROGRESS }

    public LectureActivityRecorded {
        Require.text(eventId, "eventId");
        Require.present(type, "type");
        Require.text(instructorId, "instructorId");
        Require.text(lectureId, "lectureId");
        Require.text(studentId, "studentId");
        Require.present(occurredAt, "occurredAt");
        if ((type == Type.PAYMENT || type == Type.REFUND) && (amount == null || currency == null)) {
            throw new IllegalArgumentException(type + " requires amount and currency");
        }
        if (type == Type.PROGRESS && (progress == null || progress < 0 || progress > 1)) {
            throw new IllegalArgumentException("PROGRESS requires progress in 0..1");
        }
    }

    @Override
    public Instant eventTime() {
        return occurredAt;
    }
}
