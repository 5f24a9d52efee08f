package dev.sift.bills.summaries;

import org.jspecify.annotations.Nullable;

/**
 * How one bill's round ended.
 *
 * @param attempts generation requests of this round, hedges not counted (they are in the metrics)
 * @param inputTokens tokens of every response of this round that reported usage (winner, failed and incomplete
 *     attempts; a cancelled loser reports none)
 * @param failure why the bill failed, for logs and dead-letter headers
 */
public record BillOutcome(String billId, Kind kind, @Nullable String summary, String model, long inputTokens,
        long outputTokens, int attempts, @Nullable String failure) {

    public enum Kind {
        COMPLETED,
        /** {@code failed}/{@code incomplete} or a retryable HTTP error on every attempt: worth a later round. */
        RETRYABLE_FAILURE,
        /** A 4xx other than 408/409/429: the same request fails again; straight to the DLT. */
        PERMANENT_FAILURE
    }

    public boolean completed() {
        return kind == Kind.COMPLETED;
    }
}
