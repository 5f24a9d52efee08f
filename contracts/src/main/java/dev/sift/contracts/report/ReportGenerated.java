package dev.sift.contracts.report;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;
import java.util.List;

/**
 * An instructor report was generated and stored. Topic {@code sift.report.generated.v1}, key instructor id.
 *
 * @param requestId the {@link ReportRequested} it answers
 * @param period a UTC calendar month {@code YYYY-MM}
 * @param model the model that wrote it, or {@code local-extractive} for the statistical report written without one
 * @param questionCount questions the report was written from; {@code reviewCount} likewise
 */
public record ReportGenerated(String requestId, String instructorId, String period, List<String> strengths,
        List<String> weaknesses, List<String> suggestions, String model, long inputTokens, long outputTokens,
        int questionCount, int reviewCount, Instant generatedAt) implements SiftEvent {

    public ReportGenerated {
        Require.text(requestId, "requestId");
        Require.text(instructorId, "instructorId");
        Require.text(period, "period");
        strengths = Require.list(strengths, "strengths");
        weaknesses = Require.list(weaknesses, "weaknesses");
        suggestions = Require.list(suggestions, "suggestions");
        Require.text(model, "model");
        Require.present(generatedAt, "generatedAt");
    }

    @Override
    public Instant eventTime() {
        return generatedAt;
    }
}
