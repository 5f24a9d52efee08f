package dev.sift.contracts.feedback;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;
import java.util.List;

/**
 * A batch of one organisation's feedback closed, by count or by age. Topic
 * {@code sift.feedback.batched.v1} (internal to clustering-worker), key organization id. The batch id is
 * deterministic, so every later step can be idempotent.
 */
public record FeedbackBatched(String batchId, String organizationId, ClosedBy closedBy, Instant openedAt,
        Instant closedAt, List<FeedbackSubmitted> items) implements SiftEvent {

    /** Why a batch closed: it reached its item limit, or its oldest item reached the maximum wait. */
    public enum ClosedBy { COUNT, TIME }

    public FeedbackBatched {
        Require.text(batchId, "batchId");
        Require.text(organizationId, "organizationId");
        Require.present(closedBy, "closedBy");
        Require.present(openedAt, "openedAt");
        Require.present(closedAt, "closedAt");
        items = Require.list(items, "items");
    }

    @Override
    public Instant eventTime() {
        return closedAt;
    }
}
