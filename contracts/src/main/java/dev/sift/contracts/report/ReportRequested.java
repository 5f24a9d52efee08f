package dev.sift.contracts.report;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;

/**
 * One instructor report for one period should be generated. Topic {@code sift.report.requested.v1}, key
 * instructor id. Exactly one is published per claim of (instructor, period); {@code requestId} names the claim,
 * so a consumer can tell a stale request from the current one.
 *
 * @param period the report's period, a UTC calendar month {@code YYYY-MM}
 */
public record ReportRequested(String requestId, String instructorId, String period, Instant requestedAt)
        implements SiftEvent {

    public ReportRequested {
        Require.text(requestId, "requestId");
        Require.text(instructorId, "instructorId");
        Require.text(period, "period");
        Require.present(requestedAt, "requestedAt");
    }

    @Override
    public Instant eventTime() {
        return requestedAt;
    }
}
