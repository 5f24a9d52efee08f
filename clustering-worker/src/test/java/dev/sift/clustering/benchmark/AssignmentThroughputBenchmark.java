package dev.sift.clustering.benchmark;

import dev.sift.clustering.clusters.ClusterAssigner;
import java.util.Random;

/**
 * Assignment throughput without any API time: an organisation with 1,000 clusters of 384 dimensions and random
 * vectors assigned one by one, each paying the full search and a centroid update. Run by hand:
 * {@code java -cp <test classpath> dev.sift.clustering.benchmark.AssignmentThroughputBenchmark}.
 */
public final class AssignmentThroughputBenchmark {

    // The machine is shared: CPU time of the measuring thread says what one core does, wall time what we got.
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int clusters = 1_000;
        int dimensions = 384;
        int perRound = 10_000;
        Random random = new Random(42);
        float[][] centroids = new float[clusters][dimensions];
        for (float[] c : centroids) {
            fill(c, random);
        }
        float[][] queries = new float[perRound][dimensions];
        for (float[] q : queries) {
            fill(q, random);
        }
        long blackhole = 0;
        for (int round = 0; round < 8; round++) {
            // Threshold 0: every vector joins its nearest cluster, so the table stays at 1,000 clusters and each
            // assignment pays the full search plus a centroid update.
            ClusterAssigner assigner = new ClusterAssigner(dimensions, 0.0, () -> "new");
            for (int c = 0; c < clusters; c++) {
                assigner.load("c" + c, centroids[c], 1);
            }
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            // As the worker does: one assignAll per batch of 100.
            for (int from = 0; from < perRound; from += 100) {
                for (ClusterAssigner.Assignment a : assigner.assignAll(java.util.Arrays.asList(queries).subList(from,
                        from + 100))) {
                    blackhole += a.clusterId().length();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("round %d: %,d assignments against %,d clusters x %d dims: wall %.3f s = %,.0f/s;"
                    + " thread CPU %.3f s = %,.0f per CPU-second%n", round, perRound, assigner.clusters().size(),
                    dimensions, seconds, perRound / seconds, cpuSeconds, perRound / cpuSeconds);
        }
        System.out.println("(checksum " + blackhole + "; first rounds include JIT warm-up)");
    }

    private static void fill(float[] v, Random random) {
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) random.nextGaussian();
        }
    }
}
