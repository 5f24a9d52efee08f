package dev.sift.clustering.clusters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest(name = "threshold {0}, {1} dims, {2} stored clusters, {3} vectors")
    @CsvSource({
            // Clusters open and join inside blocks at the middle thresholds; -1 joins everything, 1.01 opens
            // everything; an empty store means the first block opens the columns it scores.
            "0.30, 24, 10, 300", "0.50, 24, 20, 300", "0.70, 24, 0, 300", "0.85, 24, 40, 300",
            "-1, 24, 40, 100", "1.01, 24, 40, 100", "0.50, 23, 7, 77", "0.55, 384, 1000, 250", "0.60, 384, 0, 200"})
    void assigningABatchGivesExactlyTheSequentialResult(double threshold, int dimensions, int stored, int count) {
        Random random = new Random(Double.hashCode(threshold) * 31 + dimensions * 7 + stored + count);
        AtomicInteger left = new AtomicInteger();
        AtomicInteger right = new AtomicInteger();
        ClusterAssigner sequential = new ClusterAssigner(dimensions, threshold, () -> "n" + left.incrementAndGet());
        ClusterAssigner batched = new ClusterAssigner(dimensions, threshold, () -> "n" + right.incrementAndGet());
        // Vectors around a few topics, so similarities spread over the thresholds rather than all near 0.
        float[][] topics = new float[40][];
        for (int t = 0; t < topics.length; t++) {
            topics[t] = gaussian(random, dimensions);
        }
        float[] previous = null;
        for (int c = 0; c < stored; c++) {
            // Every fourth stored cluster is a copy of the one before: equal scores, where the first column wins.
            float[] sum = c % 4 == 3 ? previous : near(topics[random.nextInt(topics.length)], random);
            previous = sum;
            int size = 1 + random.nextInt(5);
            sequential.load("c" + c, sum, size);
            batched.load("c" + c, sum, size);
        }
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            vectors.add(i > 0 && i % 17 == 0 ? vectors.get(i - 1).clone() : near(topics[random.nextInt(topics.length)], random));
        }

        List<ClusterAssigner.Assignment> expected = vectors.stream().map(sequential::assign).toList();
        List<ClusterAssigner.Assignment> actual = batched.assignAll(vectors);

        // Records compare their doubles bit for bit: the same clusters and exactly the same similarities.
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(batched.clusters()).hasSameSizeAs(sequential.clusters());
        for (int c = 0; c < sequential.clusters().size(); c++) {
            ClusterAssigner.Cluster want = sequential.clusters().get(c);
            ClusterAssigner.Cluster got = batched.clusters().get(c);
            assertThat(got.id()).isEqualTo(want.id());
            assertThat(got.size()).isEqualTo(want.size());
            assertThat(got.sum()).isEqualTo(want.sum());
        }
        long opened = sequential.clusters().size() - stored;
        // Joins of a cluster opened earlier in the same block: the case where assignAll must rescore a column that
        // did not exist when the block was scored.
        Map<String, Integer> openedAt = new HashMap<>();
        int joinedInBlock = 0;
        for (int i = 0; i < expected.size(); i++) {
            String id = expected.get(i).clusterId();
            Integer at = openedAt.putIfAbsent(id, i);
            if (at != null && id.startsWith("n") && at / ClusterAssigner.BLOCK == i / ClusterAssigner.BLOCK) {
                joinedInBlock++;
            }
        }
        long joinedStored = expected.stream().filter(a -> a.clusterId().startsWith("c")).count();
        if (threshold > 0 && threshold < 1) {
            assertThat(opened).as("clusters opened").isGreaterThan(3);
            assertThat(joinedInBlock).as("joins of clusters opened in the same block").isGreaterThan(3);
            if (stored > 0) {
                assertThat(joinedStored).as("joins of stored clusters").isGreaterThan(3);
            }
        }
    }

    private static float[] near(float[] topic, Random random) {
        // Noise from little to more than the topic itself, so similarities spread over every threshold.
        double noise = 0.2 + 1.8 * random.nextDouble();
        float[] v = topic.clone();
        for (int d = 0; d < v.length; d++) {
            v[d] += (float) (noise * random.nextGaussian());
        }
        return v;
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
