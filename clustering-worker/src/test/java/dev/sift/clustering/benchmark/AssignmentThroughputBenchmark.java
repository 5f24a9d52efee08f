package dev.sift.clustering.benchmark;

import dev.sift.clustering.clusters.ClusterAssigner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Assignment throughput without any API time: an organisation with 1,000 clusters of 384 dimensions and random
 * vectors assigned in batches of 100 with {@link ClusterAssigner#assignAll}, as the worker does, each vector paying
 * the full search and a centroid update. Run by hand:
 * {@code java -cp <test classpath> dev.sift.clustering.benchmark.AssignmentThroughputBenchmark [rounds]}.
 *
 * <p>Two measures: one thread (what one listener thread does with one organisation's batches; wall clock and
 * that thread's CPU time, which a shared machine disturbs less), and two threads with an organisation each (what
 * the worker's two listener threads do on this 2-core machine; wall clock and the process's CPU time). Before
 * timing, one round is checked against {@link ClusterAssigner#assign} one by one: the same results, bit for bit.
 */
public final class AssignmentThroughputBenchmark {

    private static final int CLUSTERS = 1_000;
    private static final int DIMENSIONS = 384;
    private static final int PER_ROUND = 10_000;
    private static final int BATCH = 100;
    private static final int WARM_UP = 3;

    // The machine is shared: CPU time says what a core does, wall time what we got.
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        System.out.println("load average at start: " + loadAverage());
        System.out.println("JVM " + Runtime.version() + ", flags: "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        Random random = new Random(42);
        float[][] centroids = gaussians(CLUSTERS, random);
        float[][] queries = gaussians(PER_ROUND, random);
        checkExact(centroids, queries);

        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long blackhole = 0;
        for (int round = 0; round < WARM_UP + rounds; round++) {
            ClusterAssigner assigner = loaded(centroids);
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            blackhole += assignAll(assigner, queries);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("1 thread, round %d%s: %,d assignments against %,d clusters x %d dims: wall %.3f s ="
                    + " %,.0f/s; thread CPU %.3f s = %,.0f per CPU-second%n", round, round < WARM_UP ? " (warm-up)" : "",
                    PER_ROUND, assigner.clusters().size(), DIMENSIONS, seconds, PER_ROUND / seconds, cpuSeconds,
                    PER_ROUND / cpuSeconds);
            if (round >= WARM_UP) {
                wall.add(PER_ROUND / seconds);
                cpu.add(PER_ROUND / cpuSeconds);
            }
        }

        List<Double> pairWall = new ArrayList<>();
        List<Double> pairCpu = new ArrayList<>();
        for (int round = 0; round < WARM_UP + rounds; round++) {
            ClusterAssigner[] assigners = {loaded(centroids), loaded(centroids)};
            long[] sums = new long[2];
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            Thread[] threads = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int which = t;
                threads[t] = new Thread(() -> sums[which] = assignAll(assigners[which], queries));
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            blackhole += sums[0] + sums[1];
            System.out.printf("2 threads, 2 organisations, round %d%s: %,d assignments: wall %.3f s = %,.0f/s;"
                    + " process CPU %.3f s = %,.0f per CPU-second%n", round, round < WARM_UP ? " (warm-up)" : "",
                    2 * PER_ROUND, seconds, 2 * PER_ROUND / seconds, cpuSeconds, 2 * PER_ROUND / cpuSeconds);
            if (round >= WARM_UP) {
                pairWall.add(2 * PER_ROUND / seconds);
                pairCpu.add(2 * PER_ROUND / cpuSeconds);
            }
        }
        System.out.printf("1 thread: median %,.0f/s wall (min %,.0f, max %,.0f), median %,.0f per CPU-second%n",
                median(wall), min(wall), max(wall), median(cpu));
        System.out.printf("2 threads: median %,.0f/s wall (min %,.0f, max %,.0f), median %,.0f per CPU-second%n",
                median(pairWall), min(pairWall), max(pairWall), median(pairCpu));
        System.out.println("load average at end: " + loadAverage() + " (checksum " + blackhole + ")");
    }

    /** Threshold 0: every vector joins its nearest cluster, so the table stays at 1,000 clusters. */
    private static ClusterAssigner loaded(float[][] centroids) {
        ClusterAssigner assigner = new ClusterAssigner(DIMENSIONS, 0.0, () -> "new");
        for (int c = 0; c < centroids.length; c++) {
            assigner.load("c" + c, centroids[c], 1);
        }
        return assigner;
    }

    private static long assignAll(ClusterAssigner assigner, float[][] queries) {
        long sum = 0;
        for (int from = 0; from < queries.length; from += BATCH) {
            for (ClusterAssigner.Assignment a : assigner.assignAll(Arrays.asList(queries).subList(from, from + BATCH))) {
                sum += a.clusterId().hashCode();
            }
        }
        return sum;
    }

    private static void checkExact(float[][] centroids, float[][] queries) {
        ClusterAssigner batched = loaded(centroids);
        ClusterAssigner sequential = loaded(centroids);
        for (int from = 0; from < queries.length; from += BATCH) {
            List<float[]> batch = Arrays.asList(queries).subList(from, from + BATCH);
            List<ClusterAssigner.Assignment> got = batched.assignAll(batch);
            for (int i = 0; i < batch.size(); i++) {
                ClusterAssigner.Assignment want = sequential.assign(batch.get(i));
                if (!want.equals(got.get(i))) {
                    throw new AssertionError("assignAll differs from assign at " + (from + i) + ": " + got.get(i)
                            + " vs " + want);
                }
            }
        }
        System.out.println("check: assignAll = assign one by one for all " + queries.length + " vectors");
    }

    private static float[][] gaussians(int count, Random random) {
        float[][] vectors = new float[count][DIMENSIONS];
        for (float[] v : vectors) {
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
        }
        return vectors;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
