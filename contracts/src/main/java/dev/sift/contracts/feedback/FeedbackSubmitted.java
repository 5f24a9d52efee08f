package dev.sift.contracts.feedback;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A learner submitted a piece of feedback. Topic {@code sift.feedback.submitted.v1}, key organization id. */
public record FeedbackSubmitted(String feedbackId, String organizationId, String authorId,
        @Nullable String lectureId, String text, Instant submittedAt) implements SiftEvent {

    public FeedbackSubmitted {
        Require.text(feedbackId, "feedbackId");
        Require.text(organizationId, "organizationId");
        Require.text(authorId, "authorId");
        Require.text(text, "text");
        Require.present(submittedAt, "submittedAt");
    }

    @Override
    public Instant eventTime() {
        return submittedAt;
    }
}
