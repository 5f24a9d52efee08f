package dev.sift.clustering.clusters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterAssignerTest {

    private final AtomicInteger ids = new AtomicInteger();

    private ClusterAssigner assigner(double threshold) {
        return new ClusterAssigner(3, threshold, () -> "c" + ids.incrementAndGet());
    }

    @Test
    void joinsTheMostSimilarClusterAtOrAboveTheThreshold() {
        ClusterAssigner assigner = assigner(0.8);
        assigner.load("x", new float[] {1, 0, 0}, 1);
        assigner.load("y", new float[] {0, 1, 0}, 1);

        ClusterAssigner.Assignment assignment = assigner.assign(new float[] {0.2f, 0.98f, 0});

        assertThat(assignment.clusterId()).isEqualTo("y");
        assertThat(assignment.similarity()).isCloseTo(0.98, within(0.01));
        assertThat(assigner.clusters()).filteredOn(c -> c.id().equals("y")).singleElement()
                .satisfies(c -> assertThat(c.size()).isEqualTo(2));
    }

    @Test
    void opensAClusterBelowTheThreshold() {
        ClusterAssigner assigner = assigner(0.8);
        assigner.load("x", new float[] {1, 0, 0}, 5);

        ClusterAssigner.Assignment assignment = assigner.assign(new float[] {0.6f, 0.8f, 0});

        assertThat(assignment.clusterId()).isEqualTo("c1");
        assertThat(assigner.clusters()).hasSize(2);
        assertThat(assigner.clusters().get(1).isNew()).isTrue();
    }

    @Test
    void centroidIsTheRunningMeanOfUnitVectors() {
        ClusterAssigner assigner = assigner(0.5);
        assigner.assign(new float[] {10, 0, 0});
        assigner.assign(new float[] {3, 3, 0});

        float half = (float) Math.sqrt(0.5);
        assertThat(assigner.clusters()).singleElement().satisfies(c -> {
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.sum()).containsExactly(new float[] {1 + half, half, 0}, within(1e-6f));
            float norm = (float) Math.sqrt((1 + half) * (1 + half) + half * half);
            assertThat(c.centroid()[1]).isCloseTo(half / norm, within(1e-6f));
        });
    }

    @Test
    void mergesClustersThatDriftedTogetherIntoTheLargerOne() {
        ClusterAssigner assigner = assigner(0.95);
        assigner.load("big", new float[] {3, 0, 0}, 3);
        assigner.load("far", new float[] {0, 0, 1}, 1);
        assigner.assign(new float[] {0.9f, 0.436f, 0});

        List<ClusterAssigner.Merge> merges = assigner.mergeDrifted(0.85);

        assertThat(merges).containsExactly(new ClusterAssigner.Merge("c1", "big"));
        assertThat(assigner.clusters()).extracting(ClusterAssigner.Cluster::id).containsExactlyInAnyOrder("big", "far");
        assertThat(assigner.clusters()).filteredOn(c -> c.id().equals("big")).singleElement()
                .satisfies(c -> assertThat(c.size()).isEqualTo(4));
    }

    @Test
    void scoresStayRightAfterTheCentroidTableGrowsAndShrinks() {
        Random random = new Random(7);
        ClusterAssigner assigner = new ClusterAssigner(16, 0.99, () -> "c" + ids.incrementAndGet());
        float[][] vectors = new float[100][16];
        for (float[] v : vectors) {
            for (int d = 0; d < 16; d++) {
                v[d] = (float) random.nextGaussian();
            }
            assigner.assign(v);
        }
        assigner.mergeDrifted(0.5);
        assertThat(assigner.clusters().size()).isLessThan(100);
        // After the table grew past its initial capacity and merges moved columns, the vectorised search still finds
        // what a brute-force search over the clusters finds.
        for (float[] v : vectors) {
            float[] unit = ClusterAssigner.unit(v);
            ClusterAssigner.Cluster expected = assigner.clusters().stream()
                    .max(java.util.Comparator.comparingDouble(c -> dot(unit, c.centroid()))).orElseThrow();
            ClusterAssigner.Assignment nearest = assigner.nearest(v);
            assertThat(nearest.clusterId()).isEqualTo(expected.id());
            assertThat(nearest.similarity()).isCloseTo(dot(unit, expected.centroid()), within(1e-4));
        }
    }

    @Test
    void assigningABatchGivesExactlyTheSequentialResult() {
        Random random = new Random(11);
        AtomicInteger left = new AtomicInteger();
        AtomicInteger right = new AtomicInteger();
        ClusterAssigner sequential = new ClusterAssigner(24, 0.3, () -> "n" + left.incrementAndGet());
        ClusterAssigner batched = new ClusterAssigner(24, 0.3, () -> "n" + right.incrementAndGet());
        for (int c = 0; c < 40; c++) {
            float[] sum = gaussian(random, 24);
            sequential.load("c" + c, sum, 1);
            batched.load("c" + c, sum, 1);
        }
        List<float[]> vectors = java.util.stream.IntStream.range(0, 300).mapToObj(i -> gaussian(random, 24)).toList();

        List<ClusterAssigner.Assignment> expected = vectors.stream().map(sequential::assign).toList();
        List<ClusterAssigner.Assignment> actual = batched.assignAll(vectors);

        assertThat(actual).extracting(ClusterAssigner.Assignment::clusterId)
                .containsExactlyElementsOf(expected.stream().map(ClusterAssigner.Assignment::clusterId).toList());
        assertThat(expected.stream().map(ClusterAssigner.Assignment::clusterId).filter(id -> id.startsWith("n")))
                .as("the data opens new clusters and joins them within blocks").hasSizeGreaterThan(5);
        assertThat(expected.stream().map(ClusterAssigner.Assignment::clusterId).filter(id -> id.startsWith("c")))
                .hasSizeGreaterThan(5);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).similarity()).isCloseTo(expected.get(i).similarity(), within(1e-4));
        }
    }

    private static float[] gaussian(Random random, int dimensions) {
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
