package dev.sift.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads back what landed on a topic of the shared test broker, the way an outside consumer would:
 * a fresh group from the earliest offset, so tests assert on records, headers and counts.
 */
public final class TopicRecords {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** After the expected count arrived, keep reading this long so extra (duplicate) records show up too. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private TopicRecords() {
    }

    /**
     * Every record with this key on the topic: reads until at least {@code expected} arrived and then
     * {@link #QUIET} more; fails if fewer than {@code expected} arrive within 30 s.
     */
    public static List<ConsumerRecord<String, byte[]>> withKey(String topic, String key, int expected) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(DEADLINE);
            Instant quietUntil = null;
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                }
                if (found.size() >= expected) {
                    quietUntil = quietUntil == null ? Instant.now().plus(QUIET) : quietUntil;
                    if (Instant.now().isAfter(quietUntil)) {
                        break;
                    }
                }
            }
        }
        if (found.size() < expected) {
            throw new AssertionError("expected at least " + expected + " records with key " + key + " on " + topic
                    + " within " + DEADLINE.toSeconds() + " s, found " + found.size());
        }
        return found;
    }
}
