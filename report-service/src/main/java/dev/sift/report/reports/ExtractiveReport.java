package dev.sift.report.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The report written without a language model (generation provider {@code local}): statistics and the words
 * students use most, nothing invented. Strengths come from ratings of 4–5 and the best-rated lecture,
 * weaknesses from ratings of 1–3 and the worst-rated lecture, suggestions from what questions ask about most and
 * which lecture draws the most of them. Each theme is a word (stop words removed) counted once per text, so one
 * long review cannot dominate.
 */
final class ExtractiveReport {

    static final String MODEL = "local-extractive";
    static final int THEMES = 5;
    static final int QUOTE_CHARS = 200;

    private static final Set<String> STOP_WORDS = Set.of("the", "and", "for", "are", "but", "not", "you", "your",
            "was", "were", "this", "that", "with", "have", "has", "had", "from", "they", "them", "their", "there",
            "what", "when", "where", "which", "who", "why", "how", "all", "any", "can", "could", "would", "should",
            "will", "just", "more", "most", "some", "than", "then", "too", "very", "also", "about", "into", "out",
            "our", "its", "it's", "is", "in", "on", "of", "to", "a", "an", "it", "be", "as", "at", "by", "or", "if",
            "so", "do", "does", "did", "i", "me", "my", "we", "he", "she", "his", "her", "am", "been", "being", "i'm",
            "don't", "didn't", "doesn't", "lecture", "lectures", "course", "class", "really", "much", "many", "get",
            "got", "one", "two", "use", "used", "using", "like", "well", "still", "even", "only", "because", "after",
            "before", "again", "other", "these", "those", "here", "each", "every", "both", "same", "own", "over",
            "under", "while", "need", "make", "made", "way", "thing", "things", "lot", "bit");

    private ExtractiveReport() {
    }

    static WrittenReport write(Material material) {
        List<String> strengths = new ArrayList<>();
        List<String> weaknesses = new ArrayList<>();
        List<String> suggestions = new ArrayList<>();
        List<Material.Review> reviews = material.reviews();
        List<Material.Question> questions = material.questions();

        if (!reviews.isEmpty()) {
            double mean = reviews.stream().mapToInt(Material.Review::rating).average().orElse(0);
            long high = reviews.stream().filter(r -> r.rating() >= 4).count();
            long low = reviews.stream().filter(r -> r.rating() <= 2).count();
            String summary = "Average rating %.1f/5 from %d reviews; %d%% rate 4 or 5, %d%% rate 1 or 2."
                    .formatted(mean, reviews.size(), percent(high, reviews.size()), percent(low, reviews.size()));
            (mean >= 3.5 ? strengths : weaknesses).add(summary);

            List<Material.Review> positive = reviews.stream().filter(r -> r.rating() >= 4).toList();
            List<Material.Review> critical = reviews.stream().filter(r -> r.rating() <= 3).toList();
            List<String> praised = themes(positive.stream().map(Material.Review::text).toList());
            List<String> criticised = themes(critical.stream().map(Material.Review::text).toList());
            if (!praised.isEmpty()) {
                strengths.add("Reviews rating 4–5 most often mention: " + String.join(", ", praised) + ".");
            }
            positive.stream().max(Comparator.comparingInt(Material.Review::rating)
                            .thenComparingInt(r -> coverage(r.text(), praised)))
                    .ifPresent(r -> strengths.add("A " + r.rating() + "-star review of " + r.lectureId() + ": \""
                            + quote(r.text()) + "\""));
            if (!criticised.isEmpty()) {
                weaknesses.add("Reviews rating 1–3 most often mention: " + String.join(", ", criticised) + ".");
                suggestions.add("Look first at what critical reviews raise most: " + String.join(", ", criticised)
                        + ".");
            }
            critical.stream().min(Comparator.comparingInt(Material.Review::rating)
                            .thenComparingInt(r -> -coverage(r.text(), criticised)))
                    .ifPresent(r -> weaknesses.add("A " + r.rating() + "-star review of " + r.lectureId() + ": \""
                            + quote(r.text()) + "\""));

            Map<String, double[]> byLecture = new LinkedHashMap<>();
            for (Material.Review review : reviews) {
                double[] sumAndCount = byLecture.computeIfAbsent(review.lectureId(), id -> new double[2]);
                sumAndCount[0] += review.rating();
                sumAndCount[1]++;
            }
            if (byLecture.size() > 1) {
                Comparator<Map.Entry<String, double[]>> byMean = Comparator.comparingDouble(e -> e.getValue()[0] / e.getValue()[1]);
                Map.Entry<String, double[]> best = byLecture.entrySet().stream().max(byMean).orElseThrow();
                Map.Entry<String, double[]> worst = byLecture.entrySet().stream().min(byMean).orElseThrow();
                strengths.add("%s has the highest average rating: %.1f/5 from %d reviews.".formatted(best.getKey(),
                        best.getValue()[0] / best.getValue()[1], (int) best.getValue()[1]));
                weaknesses.add("%s has the lowest average rating: %.1f/5 from %d reviews.".formatted(worst.getKey(),
                        worst.getValue()[0] / worst.getValue()[1], (int) worst.getValue()[1]));
            }
        }

        if (!questions.isEmpty()) {
            List<String> asked = themes(questions.stream().map(Material.Question::text).toList());
            if (!asked.isEmpty()) {
                long touching = questions.stream().filter(q -> coverage(q.text(), asked) > 0).count();
                suggestions.add("Students ask most about: %s (%d of %d questions); consider covering these in the lecture or a FAQ."
                        .formatted(String.join(", ", asked), touching, questions.size()));
            }
            Map<String, Long> perLecture = questions.stream()
                    .collect(Collectors.groupingBy(Material.Question::lectureId, LinkedHashMap::new, Collectors.counting()));
            if (perLecture.size() > 1) {
                Map.Entry<String, Long> most = perLecture.entrySet().stream().max(Map.Entry.comparingByValue())
                        .orElseThrow();
                suggestions.add("%s draws the most questions (%d of %d); review where students get stuck there."
                        .formatted(most.getKey(), most.getValue(), questions.size()));
            }
        }
        if (material.isEmpty()) {
            suggestions.add("No questions or reviews yet: this report will say more once students ask and review.");
        }
        return new WrittenReport(strengths, weaknesses, suggestions, MODEL, 0, 0, questions.size(), reviews.size());
    }

    /** The most frequent content words, each counted once per text; a word must appear in two texts to count. */
    static List<String> themes(List<String> texts) {
        Map<String, Integer> documents = new HashMap<>();
        for (String text : texts) {
            for (String word : words(text)) {
                documents.merge(word, 1, Integer::sum);
            }
        }
        return documents.entrySet().stream()
                .filter(e -> e.getValue() >= 2 || texts.size() == 1)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(THEMES)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static Set<String> words(String text) {
        Set<String> words = new java.util.LinkedHashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
            String trimmed = word.replaceAll("^'+|'+$", "");
            if (trimmed.codePointCount(0, trimmed.length()) >= 2 && !STOP_WORDS.contains(trimmed)
                    && !trimmed.chars().allMatch(Character::isDigit)
                    && (trimmed.length() >= 3 || !trimmed.chars().allMatch(c -> c < 128))) {
                words.add(trimmed);
            }
        }
        return words;
    }

    private static int coverage(String text, List<String> themes) {
        Set<String> words = words(text);
        return (int) themes.stream().filter(words::contains).count();
    }

    private static String quote(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= QUOTE_CHARS ? flat : flat.substring(0, QUOTE_CHARS - 1) + "…";
    }

    private static long percent(long part, long whole) {
        return Math.round(100.0 * part / whole);
    }
}
