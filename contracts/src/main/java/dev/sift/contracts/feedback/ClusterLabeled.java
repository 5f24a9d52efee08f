package dev.sift.contracts.feedback;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;
import java.util.List;

/** A cluster was created, relabelled or grew. Topic {@code sift.cluster.labeled.v1}, key organization id. */
public record ClusterLabeled(String clusterId, String organizationId, String label, int size,
        List<String> sampleFeedbackIds, Instant updatedAt) implements SiftEvent {

    public ClusterLabeled {
        Require.text(clusterId, "clusterId");
        Require.text(organizationId, "organizationId");
        Require.text(label, "label");
        sampleFeedbackIds = Require.list(sampleFeedbackIds, "sampleFeedbackIds");
        Require.present(updatedAt, "updatedAt");
    }

    @Override
    public Instant eventTime() {
        return updatedAt;
    }
}
