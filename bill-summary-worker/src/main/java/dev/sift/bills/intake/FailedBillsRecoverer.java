package dev.sift.bills.intake;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * The retry topics' publisher with one change: when the listener failed with {@link BillsFailedException}, the
 * record forwarded to the next retry topic or the DLT holds only the bills that failed, not the whole batch. Key,
 * headers (the attempt count, {@code kafka_original-*}, {@code kafka_exception-*}) and destination are spring-kafka's.
 */
final class FailedBillsRecoverer extends DeadLetterPublishingRecoverer {

    FailedBillsRecoverer(Function<ProducerRecord<?, ?>, ? extends KafkaOperations<?, ?>> templateResolver,
            BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> destinationResolver) {
        super(templateResolver, destinationResolver);
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, Exception exception) {
        BillsFailedException failed = find(exception);
        if (failed == null) {
            super.accept(record, consumer, exception);
            return;
        }
        byte[] value = failed.remainingJson();
        ConsumerRecord<Object, Object> reduced = new ConsumerRecord<>(record.topic(), record.partition(),
                record.offset(), record.timestamp(), record.timestampType(), record.serializedKeySize(), value.length,
                record.key(), value, record.headers(), record.leaderEpoch());
        super.accept(reduced, consumer, exception);
    }

    private static @Nullable BillsFailedException find(@Nullable Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof BillsFailedException failed) {
                return failed;
            }
        }
        return null;
    }
}
