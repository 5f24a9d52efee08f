package dev.sift.report.reports;

/** The model answered, but not with the report's JSON; worth another attempt through the retry topics. */
final class UnusableReportException extends RuntimeException {

    UnusableReportException(String message) {
        super(message);
    }
}
