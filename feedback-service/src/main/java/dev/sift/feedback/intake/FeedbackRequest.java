package dev.sift.feedback.intake;

import org.jspecify.annotations.Nullable;

/** The body of {@code POST /api/feedback}, as the client sent it. */
record FeedbackRequest(@Nullable String text, @Nullable String lectureId) {
}
