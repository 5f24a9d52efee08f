package dev.sift.report.bills;

import org.jspecify.annotations.Nullable;

/** The body of {@code POST /api/bills} as sent; {@link ValidBill} checks it. */
record BillRequest(@Nullable String billId, @Nullable String title, @Nullable String proposer,
        @Nullable String committee, @Nullable String proposedAt, @Nullable String body) {
}
