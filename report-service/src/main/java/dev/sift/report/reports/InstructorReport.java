package dev.sift.report.reports;

import java.time.Instant;
import java.util.List;

/** What {@code GET /api/instructors/{id}/report} answers with 200 (docs/contracts.md). */
record InstructorReport(String instructorId, String period, List<String> strengths, List<String> weaknesses,
        List<String> suggestions, String model, Instant generatedAt) {
}
