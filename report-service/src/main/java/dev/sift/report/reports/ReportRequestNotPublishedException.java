package dev.sift.report.reports;

/** Kafka did not take the generation request; the claim was given up, so a retry by the client starts over. */
final class ReportRequestNotPublishedException extends RuntimeException {

    ReportRequestNotPublishedException(Throwable cause) {
        super("Kafka did not acknowledge the report request", cause);
    }
}
