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
            join(cluster, vector);
            return new Assignment(cluster.id, bestScore);
        }
        return new Assignment(open(vector).id, 1.0);
    }

    /**
     * Assigns a batch of embeddings in order, with exactly the result of calling {@link #assign} for each (the same
     * clusters, the same similarities to the last bit, the same ids drawn in the same order), but faster: blocks
     * of vectors are scored against the whole centroid table at once by {@link #scoreBlock}, and when a vector
     * changes a cluster (joins it or opens it) only that cluster's column is scored again for the block's later
     * vectors, with the same sums in the same order as {@link #score}.
     */
    public List<Assignment> assignAll(List<float[]> embeddings) {
        List<Assignment> assignments = new ArrayList<>(embeddings.size());
        int blockSize = Math.min(BLOCK, embeddings.size());
        float[][] units = new float[blockSize][];
        float[][] unitsByDimension = new float[dimensions][blockSize];
        float[][] block = new float[blockSize][];
        float[] rescored = new float[blockSize];
        for (int from = 0; from < embeddings.size(); from += BLOCK) {
            int size = Math.min(BLOCK, embeddings.size() - from);
            for (int i = 0; i < size; i++) {
                units[i] = unit(embeddings.get(from + i));
                for (int d = 0; d < dimensions; d++) {
                    unitsByDimension[d][i] = units[i][d];
                }
            }
            int known = clusters.size();
            // Room for the clusters this block may open: at most one per vector.
            int width = known + size;
            for (int i = 0; i < size; i++) {
                if (block[i] == null || block[i].length < width) {
                    block[i] = new float[width];
                } else {
                    Arrays.fill(block[i], 0, known, 0f);
                }
            }
            scoreBlock(units, size, known, block);
            for (int i = 0; i < size; i++) {
                float[] s = block[i];
                int n = clusters.size();
                // The same search as nearestColumn: the first column with the highest score wins.
                int best = n == 0 ? -1 : 0;
                for (int c = 1; c < n; c++) {
                    if (s[c] > s[best]) {
                        best = c;
                    }
                }
                Cluster cluster;
                if (best >= 0 && s[best] >= threshold) {
                    cluster = clusters.get(best);
                    join(cluster, units[i]);
                    assignments.add(new Assignment(cluster.id, s[best]));
                } else {
                    cluster = open(units[i]);
                    assignments.add(new Assignment(cluster.id, 1.0));
                }
                if (i + 1 < size) {
                    rescore(cluster.unit, unitsByDimension, i + 1, size, rescored);
                    for (int j = i + 1; j < size; j++) {
                        block[j][cluster.column] = rescored[j];
                    }
                }
            }
        }
        return assignments;
    }

    /** Vectors per block: the table is read once per block; rescoring a changed column costs up to a block. */
    static final int BLOCK = 32;

    private void join(Cluster cluster, float[] vector) {
        for (int d = 0; d < dimensions; d++) {
            cluster.sum[d] += vector[d];
        }
        cluster.size++;
        cluster.changed = true;
        writeColumn(cluster);
    }

    private Cluster open(float[] vector) {
        Cluster opened = new Cluster(ids.get(), vector.clone(), 1, true);
        opened.changed = true;
        add(opened);
        return opened;
    }

    /**
     * Scores vectors {@code [0, n)} against columns {@code [0, known)} into {@code out[i][c]} (zeroed by the
     * caller). Each score is summed over the dimensions in order, {@code ((0 + v0*c0) + v1*c1) + ...}, exactly as
     * {@link #score} does, so the results are bit-for-bit the same (Java never fuses a multiply and an add).
     *
     * <p>Why this shape: a loop over the columns that adds one dimension per pass loads and stores every
     * accumulator once per multiply-add. Here each pass adds four dimensions ({@code s + a0*x0 + a1*x1 + a2*x2 +
     * a3*x3}, left to right, so the order is unchanged) for two vectors at once, so one accumulator load and store
     * serve four multiply-adds and each row element loaded serves two vectors. C2's SuperWord vectorises this loop
     * with default flags; bigger bodies (eight dimensions, four vectors, or column tiles) measured slower or were
     * not vectorised at all.
     */
    private void scoreBlock(float[][] vectors, int n, int known, float[][] out) {
        int d = 0;
        for (; d + 4 <= dimensions; d += 4) {
            float[] r0 = rows[d];
            float[] r1 = rows[d + 1];
            float[] r2 = rows[d + 2];
            float[] r3 = rows[d + 3];
            int i = 0;
            for (; i + 2 <= n; i += 2) {
                float[] u = vectors[i];
                float[] w = vectors[i + 1];
                float a0 = u[d];
                float a1 = u[d + 1];
                float a2 = u[d + 2];
                float a3 = u[d + 3];
                float b0 = w[d];
                float b1 = w[d + 1];
                float b2 = w[d + 2];
                float b3 = w[d + 3];
                float[] s = out[i];
                float[] t = out[i + 1];
                for (int c = 0; c < known; c++) {
                    float x0 = r0[c];
                    float x1 = r1[c];
                    float x2 = r2[c];
                    float x3 = r3[c];
                    s[c] = s[c] + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
                    t[c] = t[c] + b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
                }
            }
            if (i < n) {
                float[] u = vectors[i];
                float a0 = u[d];
                float a1 = u[d + 1];
                float a2 = u[d + 2];
                float a3 = u[d + 3];
                float[] s = out[i];
                for (int c = 0; c < known; c++) {
                    s[c] = s[c] + a0 * r0[c] + a1 * r1[c] + a2 * r2[c] + a3 * r3[c];
                }
            }
        }
        for (; d < dimensions; d++) {
            float[] row = rows[d];
            for (int i = 0; i < n; i++) {
                float a = vectors[i][d];
                float[] s = out[i];
                for (int c = 0; c < known; c++) {
                    s[c] += a * row[c];
                }
            }
        }
    }

    /**
     * One centroid against the block's vectors {@code [from, to)}, from the block transposed so that the loop runs
     * over vectors and vectorises; summed over the dimensions in the same order as {@link #score}.
     */
    private void rescore(float[] centroid, float[][] unitsByDimension, int from, int to, float[] out) {
        Arrays.fill(out, from, to, 0f);
        int d = 0;
        for (; d + 4 <= dimensions; d += 4) {
            float a0 = centroid[d];
            float a1 = centroid[d + 1];
            float a2 = centroid[d + 2];
            float a3 = centroid[d + 3];
            float[] x0 = unitsByDimension[d];
            float[] x1 = unitsByDimension[d + 1];
            float[] x2 = unitsByDimension[d + 2];
            float[] x3 = unitsByDimension[d + 3];
            for (int j = from; j < to; j++) {
                out[j] = out[j] + x0[j] * a0 + x1[j] * a1 + x2[j] * a2 + x3[j] * a3;
            }
        }
        for (; d < dimensions; d++) {
            float a = centroid[d];
            float[] x = unitsByDimension[d];
            for (int j = from; j < to; j++) {
                out[j] += x[j] * a;
            }
        }
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

    /**
     * One vector against columns {@code [0, n)} into {@link #scores}: four dimensions per pass, added left to right,
     * so the sums are those of adding one dimension at a time (and those of {@link #scoreBlock}).
     */
    private void score(float[] vector, int n) {
        Arrays.fill(scores, 0, n, 0f);
        float[] s = scores;
        int d = 0;
        for (; d + 4 <= dimensions; d += 4) {
            float a0 = vector[d];
            float a1 = vector[d + 1];
            float a2 = vector[d + 2];
            float a3 = vector[d + 3];
            float[] r0 = rows[d];
            float[] r1 = rows[d + 1];
            float[] r2 = rows[d + 2];
            float[] r3 = rows[d + 3];
            for (int c = 0; c < n; c++) {
                s[c] = s[c] + a0 * r0[c] + a1 * r1[c] + a2 * r2[c] + a3 * r3[c];
            }
        }
        for (; d < dimensions; d++) {
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
