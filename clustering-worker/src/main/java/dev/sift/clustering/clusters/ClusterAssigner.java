package dev.sift.clustering.clusters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Incremental clustering of one organisation's embeddings: each vector joins the most similar centroid when
 * the cosine similarity reaches the threshold, else it opens a cluster; centroids are running means of the
 * normalised member vectors. {@link #mergeDrifted} joins clusters whose centroids have come closer than the
 * merge threshold.
 *
 * <p>Unit centroids are kept transposed (one row per dimension), so scoring a vector against every centroid is
 * a sequence of element-wise multiply-adds over contiguous rows, which the JIT vectorises; a dot product per
 * cluster would be a reduction, which it does not.
 */
public final class ClusterAssigner {

    /** One cluster's running state. {@code sum} is the sum of its members' unit vectors. */
    public static final class Cluster {
        final String id;
        final float[] sum;
        int size;
        final boolean isNew;
        boolean changed;
        int column;
        float[] unit = new float[0];

        Cluster(String id, float[] sum, int size, boolean isNew) {
            this.id = id;
            this.sum = sum;
            this.size = size;
            this.isNew = isNew;
        }

        public String id() {
            return id;
        }

        public float[] sum() {
            return sum;
        }

        public int size() {
            return size;
        }

        public boolean isNew() {
            return isNew;
        }

        /** A new cluster, or one that gained members or absorbed another in this batch. */
        public boolean changed() {
            return changed;
        }

        /** The unit centroid. */
        public float[] centroid() {
            return unit(sum);
        }
    }

    /** Where a vector went. */
    public record Assignment(String clusterId, double similarity) {
    }

    /** {@code absorbed} was merged into {@code survivor}. */
    public record Merge(String absorbed, String survivor) {
    }

    private final int dimensions;
    private final double threshold;
    private final Supplier<String> ids;
    private final List<Cluster> clusters = new ArrayList<>();
    private float[][] rows;
    private float[] scores;

    public ClusterAssigner(int dimensions, double threshold, Supplier<String> ids) {
        this.dimensions = dimensions;
        this.threshold = threshold;
        this.ids = ids;
        this.rows = new float[dimensions][16];
        this.scores = new float[16];
    }

    public static ClusterAssigner withRandomIds(int dimensions, double threshold) {
        return new ClusterAssigner(dimensions, threshold, () -> UUID.randomUUID().toString());
    }

    /** Adds an existing cluster (from the store). */
    public void load(String id, float[] sum, int size) {
        if (sum.length != dimensions) {
            throw new IllegalArgumentException("Cluster " + id + " has " + sum.length + " dimensions, not " + dimensions);
        }
        add(new Cluster(id, sum.clone(), size, false));
    }

    /** Forgets which clusters changed, so the next {@link #mergeDrifted} looks only at the next batch's. */
    public void startBatch() {
        clusters.forEach(cluster -> cluster.changed = false);
    }

    public List<Cluster> clusters() {
        return clusters;
    }

    /** Assigns one embedding (any length; it is normalised here). */
    public Assignment assign(float[] embedding) {
        float[] vector = unit(embedding);
        int best = nearestColumn(vector);
        float bestScore = best >= 0 ? scores[best] : Float.NEGATIVE_INFINITY;
        if (best >= 0 && bestScore >= threshold) {
            Cluster cluster = clusters.get(best);
            for (int d = 0; d < dimensions; d++) {
                cluster.sum[d] += vector[d];
            }
            cluster.size++;
            cluster.changed = true;
            writeColumn(cluster);
            return new Assignment(cluster.id, bestScore);
        }
        Cluster opened = new Cluster(ids.get(), vector.clone(), 1, true);
        opened.changed = true;
        add(opened);
        return new Assignment(opened.id, 1.0);
    }

    /**
     * Assigns a batch of embeddings in order, with exactly the result of calling {@link #assign} for each, but
     * faster: blocks of vectors are scored against the centroid table together, so each row of the table is read
     * from memory once per block instead of once per vector; clusters that change inside a block are rescored
     * exactly for the vectors after the change.
     */
    public List<Assignment> assignAll(List<float[]> embeddings) {
        List<Assignment> assignments = new ArrayList<>(embeddings.size());
        for (int from = 0; from < embeddings.size(); from += BLOCK) {
            int size = Math.min(BLOCK, embeddings.size() - from);
            float[][] units = new float[size][];
            for (int i = 0; i < size; i++) {
                units[i] = unit(embeddings.get(from + i));
            }
            int known = clusters.size();
            float[][] block = new float[size][known];
            for (int d = 0; d < dimensions; d++) {
                float[] row = rows[d];
                for (int i = 0; i < size; i++) {
                    float v = units[i][d];
                    float[] s = block[i];
                    for (int c = 0; c < known; c++) {
                        s[c] += v * row[c];
                    }
                }
            }
            boolean[] stale = new boolean[known];
            List<Cluster> touched = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                float[] vector = units[i];
                Cluster best = null;
                float bestScore = Float.NEGATIVE_INFINITY;
                float[] s = block[i];
                for (int c = 0; c < known; c++) {
                    if (!stale[c] && s[c] > bestScore) {
                        bestScore = s[c];
                        best = clusters.get(c);
                    }
                }
                for (Cluster cluster : touched) {
                    float score = dot(vector, cluster.unit);
                    if (score > bestScore) {
                        bestScore = score;
                        best = cluster;
                    }
                }
                if (best != null && bestScore >= threshold) {
                    for (int d = 0; d < dimensions; d++) {
                        best.sum[d] += vector[d];
                    }
                    best.size++;
                    best.changed = true;
                    writeColumn(best);
                    assignments.add(new Assignment(best.id, bestScore));
                } else {
                    best = new Cluster(ids.get(), vector.clone(), 1, true);
                    best.changed = true;
                    add(best);
                    assignments.add(new Assignment(best.id, 1.0));
                }
                if (best.column < known) {
                    if (!stale[best.column]) {
                        stale[best.column] = true;
                        touched.add(best);
                    }
                } else if (!touched.contains(best)) {
                    touched.add(best);
                }
            }
        }
        return assignments;
    }

    private static final int BLOCK = 32;

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The most similar cluster without changing anything, or null when there is none. */
    @org.jspecify.annotations.Nullable Assignment nearest(float[] embedding) {
        int best = nearestColumn(unit(embedding));
        return best < 0 ? null : new Assignment(clusters.get(best).id, scores[best]);
    }

    private int nearestColumn(float[] vector) {
        int n = clusters.size();
        if (n == 0) {
            return -1;
        }
        score(vector, n);
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Merges every changed cluster into the most similar other cluster when their centroids' cosine similarity
     * reaches {@code mergeThreshold}; the smaller one is absorbed by the larger. Returns the merges in order.
     */
    public List<Merge> mergeDrifted(double mergeThreshold) {
        List<Merge> merges = new ArrayList<>();
        boolean merged = true;
        while (merged) {
            merged = false;
            Set<Cluster> changed = new LinkedHashSet<>();
            for (Cluster cluster : clusters) {
                if (cluster.changed) {
                    changed.add(cluster);
                }
            }
            for (Cluster cluster : changed) {
                int n = clusters.size();
                score(cluster.centroid(), n);
                int best = -1;
                float bestScore = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < n; c++) {
                    if (c != cluster.column && scores[c] > bestScore) {
                        bestScore = scores[c];
                        best = c;
                    }
                }
                if (best >= 0 && bestScore >= mergeThreshold) {
                    Cluster other = clusters.get(best);
                    Cluster survivor = other.size > cluster.size || (other.size == cluster.size && !other.isNew)
                            ? other : cluster;
                    Cluster absorbed = survivor == other ? cluster : other;
                    for (int d = 0; d < dimensions; d++) {
                        survivor.sum[d] += absorbed.sum[d];
                    }
                    survivor.size += absorbed.size;
                    survivor.changed = true;
                    remove(absorbed);
                    writeColumn(survivor);
                    merges.add(new Merge(absorbed.id, survivor.id));
                    merged = true;
                    break;
                }
            }
        }
        return merges;
    }

    private void score(float[] vector, int n) {
        Arrays.fill(scores, 0, n, 0f);
        float[] s = scores;
        for (int d = 0; d < dimensions; d++) {
            float v = vector[d];
            float[] row = rows[d];
            for (int c = 0; c < n; c++) {
                s[c] += v * row[c];
            }
        }
    }

    private void add(Cluster cluster) {
        int column = clusters.size();
        if (column == scores.length) {
            int capacity = scores.length * 2;
            for (int d = 0; d < dimensions; d++) {
                rows[d] = Arrays.copyOf(rows[d], capacity);
            }
            scores = new float[capacity];
        }
        cluster.column = column;
        clusters.add(cluster);
        writeColumn(cluster);
    }

    private void remove(Cluster cluster) {
        int last = clusters.size() - 1;
        Cluster moved = clusters.get(last);
        clusters.set(cluster.column, moved);
        clusters.remove(last);
        if (moved != cluster) {
            moved.column = cluster.column;
            writeColumn(moved);
        }
    }

    private void writeColumn(Cluster cluster) {
        float[] centroid = cluster.centroid();
        cluster.unit = centroid;
        for (int d = 0; d < dimensions; d++) {
            rows[d][cluster.column] = centroid[d];
        }
    }

    static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        float[] unit = new float[vector.length];
        if (norm == 0) {
            return unit;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < vector.length; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
    }
}
