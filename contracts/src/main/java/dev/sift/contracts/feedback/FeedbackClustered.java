package dev.sift.contracts.feedback;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;

/** A feedback joined a cluster. Topic {@code sift.feedback.clustered.v1}, key organization id. */
public record FeedbackClustered(String feedbackId, String organizationId, String clusterId, double similarity,
        String batchId, Instant clusteredAt) implements SiftEvent {

    public FeedbackClustered {
        Require.text(feedbackId, "feedbackId");
        Require.text(organizationId, "organizationId");
        Require.text(clusterId, "clusterId");
        Require.text(batchId, "batchId");
        Require.present(clusteredAt, "clusteredAt");
    }

    @Override
    public Instant eventTime() {
        return clusteredAt;
    }
}
