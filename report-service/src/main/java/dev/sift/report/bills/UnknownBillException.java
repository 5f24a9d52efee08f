package dev.sift.report.bills;

/** No bill with this id in the read model (yet: a just-accepted bill appears within moments). */
final class UnknownBillException extends RuntimeException {

    UnknownBillException(String billId) {
        super("No bill " + billId);
    }
}
