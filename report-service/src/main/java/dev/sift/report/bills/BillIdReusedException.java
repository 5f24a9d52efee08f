package dev.sift.report.bills;

/** A bill id already accepted with different content: answered 409, the first bill stands. */
final class BillIdReusedException extends RuntimeException {

    BillIdReusedException(String billId) {
        super("Bill " + billId + " was already accepted with different content; a bill id names one bill");
    }
}
