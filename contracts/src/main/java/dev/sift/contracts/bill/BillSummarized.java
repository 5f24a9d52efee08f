package dev.sift.contracts.bill;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A bill's summary finished, or failed for good. Topic {@code sift.bill.summarized.v1}, key bill id.
 * {@code summary} is present only when {@code status} is {@code COMPLETED}.
 */
public record BillSummarized(String billId, Status status, @Nullable String summary, String model, long inputTokens,
        long outputTokens, int attempts, Instant summarizedAt) implements SiftEvent {

    /** The outcome of summarising one bill. */
    public enum Status { COMPLETED, FAILED }

    public BillSummarized {
        Require.text(billId, "billId");
        Require.present(status, "status");
        Require.present(model, "model");
        Require.present(summarizedAt, "summarizedAt");
        if (status == Status.COMPLETED && (summary == null || summary.isBlank())) {
            throw new IllegalArgumentException("summary is required when status is COMPLETED");
        }
    }

    @Override
    public Instant eventTime() {
        return summarizedAt;
    }
}
