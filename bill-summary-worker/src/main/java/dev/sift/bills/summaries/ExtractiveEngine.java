package dev.sift.bills.summaries;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The local provider's summaries: honest extracts, no network, no cost. The three most central sentences of the
 * bill — by degree centrality on word-overlap (cosine of term counts, TextRank's graph without the iteration) —
 * in their original order, one per paragraph. Words are runs of letters or digits, so Korean text works too.
 * Chosen over the in-process embedding model because it needs no model load per service in the one-JVM local stack
 * and is deterministic.
 */
public final class ExtractiveEngine implements SummaryEngine {

    public static final String MODEL = "extractive-centrality";

    private static final int SENTENCES = 3;
    private static final int MAX_SENTENCE_CHARS = 400;

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public void summarize(List<BillTask> bills, SummaryListener listener) {
        for (BillTask task : bills) {
            listener.finished(new BillOutcome(task.billId(), BillOutcome.Kind.COMPLETED,
                    summarize(task.bill().title(), task.bill().body()), MODEL, 0, 0, task.attemptsSoFar() + 1, null));
        }
    }

    /** The extract of a body; the title when the body has no sentence. */
    public static String summarize(String title, String body) {
        List<String> sentences = new ArrayList<>();
        for (String sentence : body.strip().split("(?<=[.!?。])\\s+|\\n+")) {
            if (!sentence.isBlank()) {
                String s = sentence.strip();
                sentences.add(s.length() > MAX_SENTENCE_CHARS ? s.substring(0, MAX_SENTENCE_CHARS) + "…" : s);
            }
        }
        if (sentences.isEmpty()) {
            return title;
        }
        if (sentences.size() <= SENTENCES) {
            return String.join("\n\n", sentences);
        }
        List<Map<String, Integer>> terms = sentences.stream().map(ExtractiveEngine::terms).toList();
        double[] centrality = new double[sentences.size()];
        for (int i = 0; i < sentences.size(); i++) {
            for (int j = i + 1; j < sentences.size(); j++) {
                double similarity = cosine(terms.get(i), terms.get(j));
                centrality[i] += similarity;
                centrality[j] += similarity;
            }
        }
        List<Integer> chosen = IntStream.range(0, sentences.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -centrality[i]).thenComparing(i -> i))
                .limit(SENTENCES).sorted().toList();
        return String.join("\n\n", chosen.stream().map(sentences::get).toList());
    }

    private static Map<String, Integer> terms(String sentence) {
        Map<String, Integer> counts = new HashMap<>();
        for (String word : sentence.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() > 1) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static double cosine(Map<String, Integer> a, Map<String, Integer> b) {
        double dot = 0;
        for (Map.Entry<String, Integer> entry : a.entrySet()) {
            dot += entry.getValue() * b.getOrDefault(entry.getKey(), 0);
        }
        if (dot == 0) {
            return 0;
        }
        return dot / (norm(a) * norm(b));
    }

    private static double norm(Map<String, Integer> counts) {
        return Math.sqrt(counts.values().stream().mapToDouble(v -> (double) v * v).sum());
    }
}
