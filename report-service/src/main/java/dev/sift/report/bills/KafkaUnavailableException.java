package dev.sift.report.bills;

/** Kafka did not acknowledge the bill in time: nothing was accepted, the client may retry (503). */
final class KafkaUnavailableException extends RuntimeException {

    KafkaUnavailableException(Throwable cause) {
        super("Kafka did not acknowledge the bill", cause);
    }
}
