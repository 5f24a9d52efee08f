package dev.sift.feedback.clusters;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A feedback as {@code GET /api/feedback/{id}} shows it; {@code status} is CLUSTERED once assigned. */
record FeedbackView(String id, String organizationId, String text, @Nullable String lectureId, Instant submittedAt,
        String status, @Nullable String clusterId) {
}
