package dev.sift.clustering.clusters;

import dev.sift.clustering.ClusteringProperties;
import dev.sift.clustering.clusters.ClusterStore.StoredAssignment;
import dev.sift.clustering.clusters.ClusterStore.StoredCluster;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.ClusterLabeled;
import dev.sift.contracts.feedback.FeedbackClustered;
import dev.sift.kafka.EventPublisher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Emits a batch's results after its transaction committed: {@code sift.feedback.clustered.v1} per feedback and
 * {@code sift.cluster.labeled.v1} per new or changed cluster, read back from the store. Keys are organisation
 * ids and the CloudEvents ids derive from the content, so a re-published result is a harmless duplicate.
 */
@Component
class ClusteringResultPublisher {

    private final EventPublisher events;
    private final ClusterStore store;
    private final ClusteringProperties properties;

    ClusteringResultPublisher(EventPublisher events, ClusterStore store, ClusteringProperties properties) {
        this.events = events;
        this.store = store;
        this.properties = properties;
    }

    void publish(BatchClusterer.Outcome outcome) {
        send(outcome.organizationId(), outcome.clustered(), outcome.changedClusters());
    }

    /** After a crash between commit and acknowledgement: the batch's results as stored now. */
    void republish(String batchId, String organizationId) {
        List<StoredAssignment> clustered = store.assignmentsOfBatch(batchId);
        Set<String> clusters = new LinkedHashSet<>();
        clustered.forEach(a -> clusters.add(a.clusterId()));
        send(organizationId, clustered, clusters);
    }

    private void send(String organizationId, List<StoredAssignment> clustered, Set<String> clusters) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (StoredAssignment a : clustered) {
            sends.add(events.publish(Topics.FEEDBACK_CLUSTERED, organizationId, new FeedbackClustered(a.feedbackId(),
                    organizationId, a.clusterId(), a.similarity(), a.batchId(), a.clusteredAt())).toFuture());
        }
        for (String clusterId : clusters) {
            StoredCluster cluster = store.cluster(clusterId);
            Instant updatedAt = store.updatedAt(clusterId);
            if (cluster == null || updatedAt == null) {
                continue;
            }
            sends.add(events.publish(Topics.CLUSTER_LABELED, organizationId, new ClusterLabeled(clusterId,
                    organizationId, cluster.label(), cluster.size(),
                    store.samples(clusterId, properties.samplesPerCluster()), updatedAt)).toFuture());
        }
        try {
            // The batch counts as published only when the broker acknowledged every result.
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing results", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Results not acknowledged by Kafka", e);
        }
    }
}
