package dev.sift.clustering.clusters;

import dev.sift.clustering.ClusteringProperties;
import dev.sift.clustering.clusters.ClusterStore.StoredAssignment;
import dev.sift.clustering.clusters.ClusterStore.StoredCluster;
import dev.sift.contracts.feedback.FeedbackBatched;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one batch: embeds the texts not yet clustered in one request (or a few, at the provider's limits;
 * usually already done for the whole poll by {@link PrefetchingEmbeddings}),
 * assigns them to the organisation's clusters, merges clusters that drifted together, labels new clusters, and
 * stores it all in one transaction guarded by the batch id; then publishes the results.
 *
 * <p>What a retry repeats is only what failed: feedback already clustered is not embedded again, and a batch
 * whose state was committed but whose events were not all acknowledged is re-published from the store.
 */
@Service
public class BatchClusterer {

    private static final Logger log = LoggerFactory.getLogger(BatchClusterer.class);

    /** What one applied batch changed, for publishing. */
    record Outcome(String batchId, String organizationId, List<StoredAssignment> clustered,
            Set<String> changedClusters, Map<String, List<String>> labelSamples) {
    }

    private final PrefetchingEmbeddings embeddings;
    private final ClusterStore store;
    private final TransactionTemplate transactions;
    private final ClusterLabeler labeler;
    private final ClusteringResultPublisher publisher;
    private final ClusteringProperties properties;
    private final Clock clock;

    BatchClusterer(PrefetchingEmbeddings embeddings, ClusterStore store, TransactionTemplate transactions,
            ClusterLabeler labeler, ClusteringResultPublisher publisher, ClusteringProperties properties,
            Optional<Clock> clock) {
        this.embeddings = embeddings;
        this.store = store;
        this.transactions = transactions;
        this.labeler = labeler;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    public void process(FeedbackBatched batch) {
        Optional<Boolean> published = store.processed(batch.batchId());
        if (published.isPresent()) {
            if (!published.get()) {
                log.info("Batch {} was applied but not all its events were acknowledged: re-publishing",
                        batch.batchId());
                publisher.republish(batch.batchId(), batch.organizationId());
                store.markPublished(batch.batchId(), clock.instant());
            }
            return;
        }
        List<FeedbackSubmitted> todo = pending(batch.items(), store.alreadyAssigned(
                batch.items().stream().map(FeedbackSubmitted::feedbackId).toList()));
        List<float[]> vectors = todo.isEmpty() ? List.of()
                : embeddings.embed(todo);
        Outcome outcome = transactions.execute(status -> apply(batch, todo, vectors));
        if (outcome == null) {
            return;
        }
        labeler.refine(outcome.organizationId(), outcome.labelSamples());
        publisher.publish(outcome);
        store.markPublished(batch.batchId(), clock.instant());
    }

    /** Items not clustered yet, each feedback once. */
    private static List<FeedbackSubmitted> pending(List<FeedbackSubmitted> items, Set<String> assigned) {
        Map<String, FeedbackSubmitted> byId = new LinkedHashMap<>();
        for (FeedbackSubmitted item : items) {
            if (!assigned.contains(item.feedbackId())) {
                byId.putIfAbsent(item.feedbackId(), item);
            }
        }
        return List.copyOf(byId.values());
    }

    private @Nullable Outcome apply(FeedbackBatched batch, List<FeedbackSubmitted> embedded, List<float[]> vectors) {
        String organizationId = batch.organizationId();
        store.lockOrganization(organizationId);
        if (store.processed(batch.batchId()).isPresent()) {
            // Another delivery of the same batch committed while this one was embedding.
            return null;
        }
        // Authoritative now that the organisation is locked: a concurrent batch may have taken some items.
        Set<String> taken = store.alreadyAssigned(embedded.stream().map(FeedbackSubmitted::feedbackId).toList());
        // Postgres keeps microseconds: events re-published from the store must serialise to the same bytes (and
        // so carry the same ce_id) as the first ones.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String model = embeddings.model();
        List<StoredCluster> stored = store.clusters(organizationId, model);
        Map<String, StoredCluster> storedById = new HashMap<>();
        stored.forEach(cluster -> storedById.put(cluster.id(), cluster));
        int dimensions = vectors.isEmpty() ? 0 : vectors.getFirst().length;
        ClusterAssigner assigner = new ClusterAssigner(dimensions, properties.threshold(model),
                () -> UUID.randomUUID().toString());
        stored.stream().filter(c -> c.sum().length == dimensions).forEach(c -> assigner.load(c.id(), c.sum(), c.size()));

        List<StoredAssignment> clustered = new ArrayList<>();
        Map<String, float[]> vectorById = new HashMap<>();
        List<FeedbackSubmitted> fresh = new ArrayList<>();
        List<float[]> freshVectors = new ArrayList<>();
        for (int i = 0; i < embedded.size(); i++) {
            if (!taken.contains(embedded.get(i).feedbackId())) {
                fresh.add(embedded.get(i));
                freshVectors.add(vectors.get(i));
            }
        }
        List<ClusterAssigner.Assignment> assignments = assigner.assignAll(freshVectors);
        for (int i = 0; i < fresh.size(); i++) {
            FeedbackSubmitted item = fresh.get(i);
            vectorById.put(item.feedbackId(), freshVectors.get(i));
            clustered.add(new StoredAssignment(item.feedbackId(), organizationId, assignments.get(i).clusterId(),
                    assignments.get(i).similarity(), batch.batchId(), item.text(), now));
        }
        Map<String, String> mergedInto = new HashMap<>();
        for (ClusterAssigner.Merge merge : assigner.mergeDrifted(properties.threshold(model) + properties.mergeMargin())) {
            mergedInto.put(merge.absorbed(), merge.survivor());
        }
        clustered = clustered.stream().map(a -> new StoredAssignment(a.feedbackId(), a.organizationId(),
                survivor(a.clusterId(), mergedInto), a.similarity(), a.batchId(), a.text(), a.clusteredAt())).toList();

        // Who may label each surviving cluster: this batch's members (their vectors are at hand) and the kept
        // candidates of the stored clusters it is or absorbed. The store keeps no member vectors, so a candidate is
        // how the most central member of earlier batches stays in the running.
        Map<String, List<ClusterLabeler.Candidate>> candidates = new HashMap<>();
        for (StoredAssignment a : clustered) {
            candidates.computeIfAbsent(a.clusterId(), k -> new ArrayList<>()).add(
                    new ClusterLabeler.Candidate(a.feedbackId(), a.text(), vectorById.get(a.feedbackId())));
        }
        for (StoredCluster cluster : stored) {
            if (cluster.candidate() != null) {
                candidates.computeIfAbsent(survivor(cluster.id(), mergedInto), k -> new ArrayList<>())
                        .add(cluster.candidate());
            }
        }
        Set<String> changed = new LinkedHashSet<>();
        Map<String, List<String>> labelSamples = new LinkedHashMap<>();
        for (ClusterAssigner.Cluster cluster : assigner.clusters()) {
            if (!cluster.changed()) {
                continue;
            }
            StoredCluster before = storedById.get(cluster.id());
            List<ClusterLabeler.Candidate> mine = candidates.getOrDefault(cluster.id(), List.of());
            float[] centroid = cluster.centroid();
            ClusterLabeler.Candidate central = mine.isEmpty() ? null : ClusterLabeler.mostCentral(centroid, mine);
            String label = before == null ? "" : before.label();
            int labeledSize = before == null ? 0 : before.labeledSize();
            if ((before == null || cluster.size() >= 2 * Math.max(1, labeledSize)) && central != null) {
                label = labeler.extractive(central);
                labeledSize = cluster.size();
                labelSamples.put(cluster.id(), labeler.samplesFor(centroid, mine));
            }
            if (label.isEmpty()) {
                label = "(unlabelled)";
            }
            ClusterLabeler.Candidate kept = central == null ? null : new ClusterLabeler.Candidate(
                    central.feedbackId(), central.text(), ClusterAssigner.unit(central.vector()));
            store.saveCluster(organizationId, model, cluster.id(), label, cluster.size(), labeledSize, cluster.sum(),
                    kept, now);
            changed.add(cluster.id());
        }
        List<StoredAssignment> moved = new ArrayList<>();
        for (Map.Entry<String, String> merge : mergedInto.entrySet()) {
            if (storedById.containsKey(merge.getKey())) {
                moved.addAll(store.merge(merge.getKey(), survivor(merge.getKey(), mergedInto), now));
                changed.add(merge.getKey());
            }
        }
        store.insertAssignments(clustered);
        store.markProcessed(batch.batchId(), organizationId, now);
        List<StoredAssignment> all = new ArrayList<>(clustered);
        all.addAll(moved);
        return new Outcome(batch.batchId(), organizationId, all, changed, labelSamples);
    }

    private static String survivor(String clusterId, Map<String, String> mergedInto) {
        String id = clusterId;
        while (mergedInto.containsKey(id)) {
            id = mergedInto.get(id);
        }
        return id;
    }
}
