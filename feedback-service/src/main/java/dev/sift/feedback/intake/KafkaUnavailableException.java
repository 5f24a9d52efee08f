package dev.sift.feedback.intake;

/** Kafka did not acknowledge the write in time: nothing was accepted, the client may retry. */
final class KafkaUnavailableException extends RuntimeException {

    KafkaUnavailableException(Throwable cause) {
        super("Kafka did not acknowledge the feedback: " + cause.getMessage(), cause);
    }
}
