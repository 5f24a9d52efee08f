package dev.sift.clustering.benchmark;

import java.util.HashMap;
import java.util.Map;

/** External clustering scores against true labels: NMI (arithmetic mean, as scikit-learn), ARI, V-measure. */
record ClusteringScores(double nmi, double ari, double homogeneity, double completeness, double vMeasure, int clusters) {

    static ClusteringScores of(int[] truth, int[] predicted) {
        int n = truth.length;
        Map<Long, Integer> joint = new HashMap<>();
        Map<Integer, Integer> a = new HashMap<>();
        Map<Integer, Integer> b = new HashMap<>();
        for (int i = 0; i < n; i++) {
            joint.merge(((long) truth[i] << 32) | (predicted[i] & 0xffffffffL), 1, Integer::sum);
            a.merge(truth[i], 1, Integer::sum);
            b.merge(predicted[i], 1, Integer::sum);
        }
        double hTruth = entropy(a, n);
        double hPred = entropy(b, n);
        double mi = 0;
        for (Map.Entry<Long, Integer> e : joint.entrySet()) {
            int t = (int) (e.getKey() >>> 32);
            int p = (int) (long) e.getKey();
            double pij = e.getValue() / (double) n;
            mi += pij * Math.log(pij / ((a.get(t) / (double) n) * (b.get(p) / (double) n)));
        }
        double homogeneity = hTruth == 0 ? 1 : mi / hTruth;
        double completeness = hPred == 0 ? 1 : mi / hPred;
        double v = homogeneity + completeness == 0 ? 0 : 2 * homogeneity * completeness / (homogeneity + completeness);
        double nmi = (hTruth + hPred) == 0 ? 1 : mi / ((hTruth + hPred) / 2);
        double sumJoint = joint.values().stream().mapToDouble(ClusteringScores::pairs).sum();
        double sumA = a.values().stream().mapToDouble(ClusteringScores::pairs).sum();
        double sumB = b.values().stream().mapToDouble(ClusteringScores::pairs).sum();
        double expected = sumA * sumB / pairs(n);
        double max = (sumA + sumB) / 2;
        double ari = max == expected ? 1 : (sumJoint - expected) / (max - expected);
        return new ClusteringScores(nmi, ari, homogeneity, completeness, v, b.size());
    }

    private static double pairs(int count) {
        return count * (count - 1) / 2.0;
    }

    private static double entropy(Map<Integer, Integer> counts, int n) {
        double h = 0;
        for (int c : counts.values()) {
            double p = c / (double) n;
            h -= p * Math.log(p);
        }
        return h;
    }

    @Override
    public String toString() {
        return String.format("clusters=%4d NMI=%.3f ARI=%.3f V=%.3f (h=%.3f c=%.3f)", clusters, nmi, ari, vMeasure,
                homogeneity, completeness);
    }
}
