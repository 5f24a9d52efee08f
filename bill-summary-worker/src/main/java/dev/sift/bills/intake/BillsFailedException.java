package dev.sift.bills.intake;

import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillBatched;

/**
 * Some bills of a batch failed retryably. Carries the batch reduced to those bills: {@link FailedBillsRecoverer}
 * sends that, not the original record, to the next retry topic (and at last the DLT), so later rounds retry only
 * the failed bills.
 */
class BillsFailedException extends RuntimeException {

    private final transient BillBatched remaining;

    BillsFailedException(BillBatched remaining, String message) {
        super(message);
        this.remaining = remaining;
    }

    BillBatched remaining() {
        return remaining;
    }

    byte[] remainingJson() {
        return Topics.BILL_BATCHED.valueSerde().toJson(remaining);
    }
}
