package dev.sift.clustering.clusters;

import dev.sift.ai.AiClients;
import dev.sift.ai.AiProperties;
import dev.sift.ai.TextGenerator;
import dev.sift.clustering.ClusteringProperties;
import dev.sift.contracts.EventJson;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Labels clusters. Always extractive first — the member closest to the centroid, shortened — so every cluster
 * has a label inside the batch's transaction at no cost; then, when a text generator is configured, one
 * structured-output request per batch replaces the labels of that batch's new and doubled clusters. If that
 * request fails the extractive labels stay.
 */
@Component
class ClusterLabeler {

    private static final Logger log = LoggerFactory.getLogger(ClusterLabeler.class);

    static final String SCHEMA = """
            {"type": "object", "additionalProperties": false, "required": ["labels"],
             "properties": {"labels": {"type": "array", "items": {"type": "object", "additionalProperties": false,
               "required": ["id", "label"],
               "properties": {"id": {"type": "string"}, "label": {"type": "string"}}}}}}""";

    private final Optional<TextGenerator> generator;
    private final ClusterStore store;
    private final ClusteringProperties properties;
    private final Clock clock = Clock.systemUTC();

    /** With the generator {@code sift.ai.generation} configures; none for {@code local}. */
    @Autowired
    ClusterLabeler(AiProperties ai, MeterRegistry registry, ClusterStore store, ClusteringProperties properties) {
        this(AiClients.textGenerator(ai.generation(), registry), store, properties);
    }

    ClusterLabeler(Optional<TextGenerator> generator, ClusterStore store, ClusteringProperties properties) {
        this.generator = generator;
        this.store = store;
        this.properties = properties;
    }

    /**
     * A member that may label its cluster: a feedback of the current batch, or the cluster's kept candidate (the
     * most central member of earlier batches). {@code vector} need not be normalised.
     */
    record Candidate(String feedbackId, String text, float[] vector) {
    }

    /** The candidate closest to the (unit) centroid; ties go to the smaller feedback id. */
    static Candidate mostCentral(float[] centroid, List<Candidate> candidates) {
        return closest(centroid, candidates).getFirst();
    }

    /** The candidate's text cut to {@code label-max-length} at a word boundary. */
    String extractive(Candidate central) {
        String text = central.text().strip().replaceAll("\\s+", " ");
        int max = properties.labelMaxLength();
        if (text.length() <= max) {
            return text;
        }
        String cut = text.substring(0, max - 1);
        int lastSpace = cut.lastIndexOf(' ');
        // Cut at a word boundary unless that would throw away more than half of the label.
        return (lastSpace > max / 2 ? cut.substring(0, lastSpace) : cut).strip() + "…";
    }

    /** Up to five candidate texts, most central first: what the generator sees of a cluster. */
    List<String> samplesFor(float[] centroid, List<Candidate> candidates) {
        return closest(centroid, candidates).stream().limit(5).map(Candidate::text).toList();
    }

    /** One generation request for all clusters of a batch that need a label; failures keep the extractive ones. */
    void refine(String organizationId, Map<String, List<String>> samplesByCluster) {
        if (generator.isEmpty() || samplesByCluster.isEmpty()) {
            return;
        }
        try {
            String input = EventJson.MAPPER.writeValueAsString(samplesByCluster.entrySet().stream()
                    .map(e -> Map.of("id", e.getKey(), "samples", e.getValue())).toList());
            TextGenerator.Generation generation = generator.get().generate(new TextGenerator.GenerationRequest(
                    "Each item is a cluster of learner feedback with its most typical members. Give each cluster a "
                            + "short label (at most " + properties.labelMaxLength() + " characters, in the language "
                            + "of the feedback) naming the shared topic. Answer with every id once.",
                    input, "cluster_labels", SCHEMA, 60 * samplesByCluster.size() + 100));
            JsonNode labels = EventJson.MAPPER.readTree(generation.text()).path("labels");
            for (JsonNode label : labels) {
                String id = label.path("id").asString("");
                String text = label.path("label").asString("").strip();
                if (samplesByCluster.containsKey(id) && !text.isEmpty()) {
                    store.updateLabel(id, text.length() <= properties.labelMaxLength() ? text
                            : text.substring(0, properties.labelMaxLength()), clock.instant());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Label generation for organisation {} failed, keeping extractive labels: {}", organizationId,
                    e.toString());
        }
    }

    private static List<Candidate> closest(float[] centroid, List<Candidate> candidates) {
        return candidates.stream().sorted(Comparator.comparingDouble((Candidate c) -> -cosine(centroid, c.vector()))
                .thenComparing(Candidate::feedbackId)).toList();
    }

    private static double cosine(float[] unitCentroid, float[] vector) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += unitCentroid[i] * vector[i];
            norm += vector[i] * vector[i];
        }
        return norm == 0 ? 0 : dot / Math.sqrt(norm);
    }
}
