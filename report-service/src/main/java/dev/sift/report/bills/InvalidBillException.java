package dev.sift.report.bills;

/** A request field breaks the contract; answered 400 naming the field. */
final class InvalidBillException extends RuntimeException {

    private final String field;

    InvalidBillException(String field, String message) {
        super(field + " " + message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
