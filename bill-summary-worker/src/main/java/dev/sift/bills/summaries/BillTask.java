package dev.sift.bills.summaries;

import dev.sift.contracts.bill.BillReceived;
import org.jspecify.annotations.Nullable;

/**
 * One bill to summarise in a round.
 *
 * @param resumeResponseId a background response created for this bill before a restart, still worth polling
 * @param attemptsSoFar generation requests paid for in earlier rounds (retry topics), for the event's count
 */
public record BillTask(BillReceived bill, @Nullable String resumeResponseId, int attemptsSoFar) {

    public static BillTask of(BillReceived bill) {
        return new BillTask(bill, null, 0);
    }

    public String billId() {
        return bill.billId();
    }
}
