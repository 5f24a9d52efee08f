package dev.sift.clustering.benchmark;

import dev.sift.ai.AiClients;
import dev.sift.ai.AiProperties;
import dev.sift.ai.EmbeddingClient;
import dev.sift.clustering.clusters.ClusterAssigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Clustering quality on CLINC150 {@code test} (4,500 texts, 150 intents) with the local model: the incremental
 * clusterer in input order over a range of thresholds, beside batch k-means++ with the true k = 150 (best of 3
 * seeds). Run by hand:
 * {@code java -cp <test classpath> dev.sift.clustering.benchmark.Clinc150QualityBenchmark [path/to/test.tsv]}.
 * Embeddings are cached in {@code java.io.tmpdir}.
 */
public final class Clinc150QualityBenchmark {

    public static void main(String[] args) throws IOException {
        Path tsv = Path.of(args.length > 0 ? args[0] : "/work/shared/datasets/clinc150/test.tsv");
        List<String> texts = new ArrayList<>();
        List<String> intents = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            String[] parts = line.split("\t");
            if (parts.length == 2 && !(parts[0].equals("text") && parts[1].equals("intent"))) {
                texts.add(parts[0]);
                intents.add(parts[1]);
            }
        }
        Map<String, Integer> intentIds = new HashMap<>();
        int[] truth = intents.stream().mapToInt(i -> intentIds.computeIfAbsent(i, k -> intentIds.size())).toArray();
        float[][] vectors = embed(texts);
        System.out.printf("CLINC150 test: %d texts, %d intents, %d dimensions (all-MiniLM-L6-v2 quantized)%n",
                texts.size(), intentIds.size(), vectors[0].length);

        for (double threshold = 0.40; threshold <= 0.751; threshold += 0.05) {
            System.out.printf("incremental  t=%.2f no merge      %s%n", threshold, incremental(vectors, truth, threshold, 2));
            for (double merge : new double[] {threshold + 0.10, threshold + 0.20}) {
                System.out.printf("incremental  t=%.2f merge>=%.2f  %s%n", threshold, merge,
                        incremental(vectors, truth, threshold, merge));
            }
        }
        ClusteringScores best = null;
        for (int seed = 1; seed <= 3; seed++) {
            ClusteringScores scores = ClusteringScores.of(truth, kMeans(vectors, intentIds.size(), seed));
            System.out.printf("k-means++    k=%d seed=%d      %s%n", intentIds.size(), seed, scores);
            if (best == null || scores.nmi() > best.nmi()) {
                best = scores;
            }
        }
        System.out.println("k-means++ best: " + best);
    }

    private static ClusteringScores incremental(float[][] vectors, int[] truth, double threshold, double merge) {
        int[] batched = incrementalLabels(vectors, threshold, merge, true);
        int[] oneByOne = incrementalLabels(vectors, threshold, merge, false);
        if (!java.util.Arrays.equals(batched, oneByOne)) {
            throw new AssertionError("assignAll and assign one by one cluster CLINC150 differently at t=" + threshold);
        }
        return ClusteringScores.of(truth, batched);
    }

    /**
     * Cluster numbers in order of first appearance, so two runs that make the same partition give equal arrays
     * whatever ids they drew.
     */
    private static int[] incrementalLabels(float[][] vectors, double threshold, double merge, boolean batched) {
        ClusterAssigner assigner = ClusterAssigner.withRandomIds(vectors[0].length, threshold);
        String[] assigned = new String[vectors.length];
        Map<String, String> mergedInto = new HashMap<>();
        // Same cadence as production: batches of 100 through assignAll, merge after each batch. One by one through
        // assign only to check that it is the same.
        for (int from = 0; from < vectors.length; from += 100) {
            int to = Math.min(vectors.length, from + 100);
            if (batched) {
                List<ClusterAssigner.Assignment> assignments =
                        assigner.assignAll(java.util.Arrays.asList(vectors).subList(from, to));
                for (int i = from; i < to; i++) {
                    assigned[i] = assignments.get(i - from).clusterId();
                }
            } else {
                for (int i = from; i < to; i++) {
                    assigned[i] = assigner.assign(vectors[i]).clusterId();
                }
            }
            assigner.mergeDrifted(merge).forEach(m -> mergedInto.put(m.absorbed(), m.survivor()));
            assigner.startBatch();
        }
        Map<String, Integer> ids = new HashMap<>();
        int[] predicted = new int[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            String id = assigned[i];
            while (mergedInto.containsKey(id)) {
                id = mergedInto.get(id);
            }
            predicted[i] = ids.computeIfAbsent(id, k -> ids.size());
        }
        return predicted;
    }

    static int[] kMeans(float[][] x, int k, long seed) {
        int n = x.length;
        int dims = x[0].length;
        Random random = new Random(seed);
        float[][] centers = new float[k][];
        centers[0] = x[random.nextInt(n)].clone();
        double[] dist = new double[n];
        java.util.Arrays.fill(dist, Double.MAX_VALUE);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], sq(x[i], centers[c - 1]));
                total += dist[i];
            }
            double r = random.nextDouble() * total;
            int pick = 0;
            for (double acc = 0; pick < n - 1; pick++) {
                acc += dist[pick];
                if (acc >= r) {
                    break;
                }
            }
            centers[c] = x[pick].clone();
        }
        int[] label = new int[n];
        for (int iter = 0; iter < 100; iter++) {
            boolean moved = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestD = Double.MAX_VALUE;
                for (int c = 0; c < k; c++) {
                    double d = sq(x[i], centers[c]);
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
                if (label[i] != best || iter == 0) {
                    moved |= label[i] != best;
                    label[i] = best;
                }
            }
            if (!moved && iter > 0) {
                break;
            }
            float[][] sums = new float[k][dims];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[label[i]]++;
                for (int d = 0; d < dims; d++) {
                    sums[label[i]][d] += x[i][d];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    for (int d = 0; d < dims; d++) {
                        sums[c][d] /= counts[c];
                    }
                    centers[c] = sums[c];
                }
            }
        }
        return label;
    }

    private static double sq(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    static float[][] embed(List<String> texts) throws IOException {
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "sift-clinc150-minilm-" + texts.hashCode() + ".bin");
        if (Files.exists(cache)) {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(cache))) {
                int n = in.readInt();
                int dims = in.readInt();
                float[][] vectors = new float[n][dims];
                for (float[] v : vectors) {
                    for (int d = 0; d < dims; d++) {
                        v[d] = in.readFloat();
                    }
                }
                return vectors;
            }
        }
        EmbeddingClient client = AiClients.embeddingClient(new AiProperties.Port("local", null, null, null, null,
                null, 1, Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(5), 0),
                new SimpleMeterRegistry());
        long start = System.nanoTime();
        List<float[]> vectors = client.embed(texts).vectors();
        System.out.printf("embedded %d texts locally in %.1f s%n", texts.size(), (System.nanoTime() - start) / 1e9);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(cache))) {
            out.writeInt(vectors.size());
            out.writeInt(vectors.getFirst().length);
            for (float[] v : vectors) {
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
        return vectors.toArray(float[][]::new);
    }
}
