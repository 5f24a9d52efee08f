package dev.sift.contracts.lecture;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;

/** A student reviewed a lecture with a 1..5 rating. Topic {@code sift.lecture.review.v1}, key instructor id. */
public record ReviewPosted(String reviewId, String instructorId, String lectureId, int rating, String text,
        Instant reviewedAt) implements SiftEvent {

    public ReviewPosted {
        Require.text(reviewId, "reviewId");
        Require.text(instructorId, "instructorId");
        Require.text(lectureId, "lectureId");
        if (rating < 1 || rating > 5) {
            throw new IllegalArgumentException("rating must be 1..5");
        }
        Require.present(text, "text");
        Require.present(reviewedAt, "reviewedAt");
    }

    @Override
    public Instant eventTime() {
        return reviewedAt;
    }
}
