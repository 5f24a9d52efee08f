package dev.sift.contracts.bill;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;
import java.time.LocalDate;

/** A legislative bill arrived for summarisation. Topic {@code sift.bill.received.v1}, key bill id (not a UUID). */
public record BillReceived(String billId, String title, String proposer, String committee, LocalDate proposedAt,
        String body, Instant receivedAt) implements SiftEvent {

    public BillReceived {
        Require.text(billId, "billId");
        Require.text(title, "title");
        Require.present(proposer, "proposer");
        Require.present(committee, "committee");
        Require.present(proposedAt, "proposedAt");
        Require.text(body, "body");
        Require.present(receivedAt, "receivedAt");
    }

    @Override
    public Instant eventTime() {
        return receivedAt;
    }
}
