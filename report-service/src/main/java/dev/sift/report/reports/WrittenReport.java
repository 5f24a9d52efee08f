package dev.sift.report.reports;

import java.util.List;

/** A report as the writer produced it, before it is stored. */
record WrittenReport(List<String> strengths, List<String> weaknesses, List<String> suggestions, String model,
        long inputTokens, long outputTokens, int questionCount, int reviewCount) {
}
