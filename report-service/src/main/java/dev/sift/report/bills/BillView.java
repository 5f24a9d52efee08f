package dev.sift.report.bills;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A bill as {@code GET /api/bills} and {@code GET /api/bills/{billId}} show it. */
record BillView(String billId, String title, String proposer, String committee, LocalDate proposedAt, String body,
        Instant receivedAt, Summary summary) {

    /**
     * The summary's state: {@code PENDING} until {@code sift.bill.summarized.v1} arrives; {@code text} only when
     * {@code COMPLETED}; {@code model} and {@code generatedAt} once summarised or failed.
     */
    record Summary(String status, @Nullable String text, @Nullable String model, @Nullable Instant generatedAt) {
    }

    /** The answer of {@code GET /api/bills?date=}. */
    record Page(List<BillView> bills) {
    }
}
