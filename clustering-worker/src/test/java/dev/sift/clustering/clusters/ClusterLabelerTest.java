package dev.sift.clustering.clusters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.ai.AiProviderException;
import dev.sift.ai.TextGenerator;
import dev.sift.clustering.ClusteringProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterLabelerTest {

    private static final ClusteringProperties PROPERTIES = new ClusteringProperties(Map.of(), 0.5, 0.2, 5, 20,
            new ClusteringProperties.Retry(List.of(Duration.ofMinutes(1)), "g"),
            new ClusteringProperties.Streams("app", "", Duration.ofSeconds(1)));

    /** Records label updates instead of writing them; the SQL itself is covered by ClusteringWorkerIT. */
    private static final class RecordingStore extends ClusterStore {
        final Map<String, String> labels = new LinkedHashMap<>();

        RecordingStore() {
            super(null);
        }

        @Override
        void updateLabel(String clusterId, String label, Instant now) {
            labels.put(clusterId, label);
        }
    }

    @Test
    void extractiveLabelIsTheMemberClosestToTheCentroidShortened() {
        ClusterLabeler labeler = new ClusterLabeler(Optional.empty(), new RecordingStore(), PROPERTIES);
        List<ClusterLabeler.Candidate> members = List.of(
                new ClusterLabeler.Candidate("b", "slides", new float[] {0.8f, 0.6f}),
                new ClusterLabeler.Candidate("a", "the   audio is much too quiet in week three", new float[] {3, 0}));

        String label = labeler.extractive(ClusterLabeler.mostCentral(new float[] {1, 0}, members));

        assertThat(label).isEqualTo("the audio is much…").hasSizeLessThanOrEqualTo(20);
        assertThat(labeler.samplesFor(new float[] {1, 0}, members)).containsExactly(
                "the   audio is much too quiet in week three", "slides");
    }

    @Test
    void equallyCentralCandidatesAreOrderedByFeedbackId() {
        List<ClusterLabeler.Candidate> members = List.of(new ClusterLabeler.Candidate("z", "one", new float[] {0, 1}),
                new ClusterLabeler.Candidate("m", "two", new float[] {0, 2}));

        assertThat(ClusterLabeler.mostCentral(new float[] {0, 1}, members).feedbackId()).isEqualTo("m");
    }

    @Test
    void oneGenerationRequestReplacesTheLabelsOfTheBatch() {
        RecordingStore store = new RecordingStore();
        List<TextGenerator.GenerationRequest> requests = new ArrayList<>();
        TextGenerator generator = request -> {
            requests.add(request);
            return new TextGenerator.Generation(
                    "{\"labels\": [{\"id\": \"c1\", \"label\": \"Audio volume\"}, {\"id\": \"c2\", \"label\": \"Quiz dates\"},"
                            + " {\"id\": \"unknown\", \"label\": \"ignored\"}]}", "m", 100, 20);
        };
        ClusterLabeler labeler = new ClusterLabeler(Optional.of(generator), store, PROPERTIES);

        labeler.refine("org", Map.of("c1", List.of("too quiet"), "c2", List.of("quiz moved")));

        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.schemaName()).isEqualTo("cluster_labels");
            assertThat(r.input()).contains("too quiet", "quiz moved", "c1", "c2");
        });
        assertThat(store.labels).containsOnly(Map.entry("c1", "Audio volume"), Map.entry("c2", "Quiz dates"));
    }

    @Test
    void aFailedGenerationKeepsTheExtractiveLabels() {
        RecordingStore store = new RecordingStore();
        TextGenerator failing = request -> {
            throw new AiProviderException("down", 503, true, null, null);
        };

        new ClusterLabeler(Optional.of(failing), store, PROPERTIES).refine("org", Map.of("c1", List.of("x")));

        assertThat(store.labels).isEmpty();
    }
}
