package dev.sift.kafka;

import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Dead-letter publishing with the header names of the contract ({@code kafka_original-topic},
 * {@code kafka_exception-fqcn}, …), the ones spring-kafka 4.0's non-blocking retries write.
 *
 * <p>A plain {@link DeadLetterPublishingRecoverer} in spring-kafka 4.0 writes {@code kafka_dlt-*}
 * names instead; operators' tools ({@code sift dlq}) would then see two dialects. Every Sift
 * component that dead-letters by hand uses {@link #recoverer} so there is one.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** The header names the contract names, identical to the retry-topic machinery's. */
    public static HeaderNames contractHeaderNames() {
        return HeaderNames.Builder.original()
                .topicHeader(KafkaHeaders.ORIGINAL_TOPIC)
                .partitionHeader(KafkaHeaders.ORIGINAL_PARTITION)
                .offsetHeader(KafkaHeaders.ORIGINAL_OFFSET)
                .timestampHeader(KafkaHeaders.ORIGINAL_TIMESTAMP)
                .timestampTypeHeader(KafkaHeaders.ORIGINAL_TIMESTAMP_TYPE)
                .consumerGroupHeader(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)
                .exception()
                .exceptionFqcn(KafkaHeaders.EXCEPTION_FQCN)
                .exceptionCauseFqcn(KafkaHeaders.EXCEPTION_CAUSE_FQCN)
                .exceptionMessage(KafkaHeaders.EXCEPTION_MESSAGE)
                .exceptionStacktrace(KafkaHeaders.EXCEPTION_STACKTRACE)
                .keyExceptionFqcn(KafkaHeaders.KEY_EXCEPTION_FQCN)
                .keyExceptionMessage(KafkaHeaders.KEY_EXCEPTION_MESSAGE)
                .keyExceptionStacktrace(KafkaHeaders.KEY_EXCEPTION_STACKTRACE)
                .build();
    }

    /**
     * A recoverer that publishes a failed record to {@code <topic>-dlt}, keeping key, value and
     * headers. The partition is left to the producer: a DLT need not mirror its source's partitions.
     */
    public static DeadLetterPublishingRecoverer recoverer(KafkaOperations<?, ?> template) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + "-dlt", -1));
        recoverer.setHeaderNamesSupplier(DeadLetters::contractHeaderNames);
        return recoverer;
    }
}
