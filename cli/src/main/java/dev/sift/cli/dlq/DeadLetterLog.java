package dev.sift.cli.dlq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.function.Predicate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Opens the clients the {@code dlq} commands read dead-letter topics with, and reads the
 * {@code sift-dlq-replay} group's progress. Failures become {@link DeadLetterException}s with one
 * line an operator can act on.
 */
final class DeadLetterLog {

    /** The consumer group whose committed offsets are the replay and skip progress, one entry per DLT partition. */
    static final String REPLAY_GROUP = "sift-dlq-replay";

    private DeadLetterLog() {
    }

    static Admin admin(Map<String, Object> clientConfig) {
        return Admin.create(new HashMap<>(clientConfig));
    }

    /**
     * A consumer in the replay group that never joins it (partitions are assigned, not subscribed)
     * and reads committed data only; committed offsets are read "stable", after pending
     * transactional commits resolve.
     */
    static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> clientConfig, int maxPollRecords) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, REPLAY_GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        // Fewer, larger fetches: replay reads whole topics, and an operator's terminal can wait 100 ms.
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The partitions of a topic; an unknown topic is a failure naming it. */
    static List<TopicPartition> partitions(Admin admin, String topic) {
        TopicDescription description = describe(admin, List.of(topic)).get(topic);
        List<TopicPartition> partitions = new ArrayList<>();
        description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        return partitions;
    }

    static Map<String, TopicDescription> describe(Admin admin, Collection<String> topics) {
        try {
            return admin.describeTopics(topics).allTopicNames().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new DeadLetterException("no such topic: " + String.join(", ", topics));
            }
            throw DeadLetterException.from(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted");
        }
    }

    static boolean exists(Admin admin, String topic) {
        try {
            return admin.listTopics().names().get().contains(topic);
        } catch (ExecutionException e) {
            throw DeadLetterException.from(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted");
        }
    }

    /** Progress per partition from the group's committed offsets (stable: pending transactions resolved first). */
    static Map<TopicPartition, PartitionProgress> progress(KafkaConsumer<byte[], byte[]> consumer,
            Collection<TopicPartition> partitions) {
        Set<TopicPartition> set = Set.copyOf(partitions);
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(set);
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(set);
            Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
            for (TopicPartition partition : partitions) {
                progress.put(partition, PartitionProgress.from(committed.get(partition), beginnings.get(partition)));
            }
            return progress;
        } catch (KafkaException e) {
            throw DeadLetterException.from(e);
        }
    }

    /**
     * Reads each partition from {@code from} up to (excluding) {@code to}, at most {@code limit}
     * records per partition, handing each record to {@code visitor} until it answers false.
     */
    static void scan(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> to, long limit, Predicate<ConsumerRecord<byte[], byte[]>> visitor) {
        Set<TopicPartition> active = new HashSet<>();
        from.forEach((partition, start) -> {
            if (start < to.get(partition)) {
                active.add(partition);
            }
        });
        try {
            consumer.assign(active);
            consumer.resume(consumer.assignment());
            active.forEach(partition -> consumer.seek(partition, from.get(partition)));
            Map<TopicPartition, Long> read = new HashMap<>();
            long idleSince = System.nanoTime();
            while (!active.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                for (TopicPartition partition : records.partitions()) {
                    if (!active.contains(partition)) {
                        continue;
                    }
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                        if (record.offset() >= to.get(partition)) {
                            active.remove(partition);
                            break;
                        }
                        if (!visitor.test(record)) {
                            return;
                        }
                        if (read.merge(partition, 1L, Long::sum) >= limit) {
                            active.remove(partition);
                            break;
                        }
                    }
                }
                active.removeIf(partition -> consumer.position(partition) >= to.get(partition));
                consumer.pause(consumer.assignment().stream().filter(p -> !active.contains(p)).toList());
                if (System.nanoTime() - idleSince > Duration.ofSeconds(15).toNanos()) {
                    throw new DeadLetterException("no records arrived for 15 s from " + active);
                }
            }
        } catch (KafkaException e) {
            throw DeadLetterException.from(e);
        }
    }

    static Map<TopicPartition, Long> endOffsets(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        try {
            return consumer.endOffsets(partitions, Duration.ofSeconds(15));
        } catch (KafkaException e) {
            throw DeadLetterException.from(e);
        }
    }
}
