package dev.sift.contracts.bill;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A batch of received bills closed, by count or by age. Topic {@code sift.bill.batched.v1} (internal to
 * bill-summary-worker), key the proposal date its bills share ({@code YYYY-MM-DD}). The batch id is deterministic,
 * so every later step can be idempotent. A batch on a retry topic or the DLT holds only the bills that failed.
 */
public record BillBatched(String batchId, LocalDate proposedAt, ClosedBy closedBy, Instant openedAt, Instant closedAt,
        List<BillReceived> items) implements SiftEvent {

    /** Why a batch closed: it reached its item limit, or its oldest item reached the maximum wait. */
    public enum ClosedBy { COUNT, TIME }

    public BillBatched {
        Require.text(batchId, "batchId");
        Require.present(proposedAt, "proposedAt");
        Require.present(closedBy, "closedBy");
        Require.present(openedAt, "openedAt");
        Require.present(closedAt, "closedAt");
        items = Require.list(items, "items");
    }

    /** The same batch holding only {@code remaining}: what travels to a retry topic or the DLT. */
    public BillBatched withItems(List<BillReceived> remaining) {
        return new BillBatched(batchId, proposedAt, closedBy, openedAt, closedAt, remaining);
    }

    @Override
    public Instant eventTime() {
        return closedAt;
    }
}
