package dev.sift.cli.dlq;

import static org.awaitility.Awaitility.await;

import dev.sift.testing.KafkaTestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Real dead letters: records on a source topic that a real spring-kafka listener rejects, so
 * {@link DeadLetterPublishingRecoverer} writes them to {@code <source>-dlt} with its own headers.
 * Values whose {@code kind} is {@code timeout} fail with an {@link IllegalStateException}, all
 * others with an {@link IllegalArgumentException}.
 */
final class DeadLetterFixture {

    static final int PARTITIONS = 3;

    final String source;
    final String deadLetters;
    private final String bootstrap = KafkaTestBroker.bootstrapServers();

    DeadLetterFixture(String name) {
        String unique = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        source = "it." + unique;
        deadLetters = source + "-dlt";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(source, PARTITIONS, (short) 1),
                    new NewTopic(deadLetters, PARTITIONS, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    /** Produces records with the given keys and kinds, one per pair, to the source topic. */
    DeadLetterFixture produce(List<String> keys, List<String> kinds) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < keys.size(); i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(source, keys.get(i),
                        "{\"n\":" + i + ",\"kind\":\"" + kinds.get(i) + "\"}");
                record.headers().add("ce_id", ("event-" + i).getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_type", "dev.sift.test.v1".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
        }
        return this;
    }

    /**
     * Runs one failing listener over the source topics of all fixtures until each DLT holds
     * {@code expected} records. One listener for many fixtures: a consumer group join costs seconds.
     */
    static void runListenerUntilDeadLetters(List<DeadLetterFixture> fixtures, String group, long expected) {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        Map<String, Object> consumer = new HashMap<>();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // After each failure the error handler seeks back; a short fetch wait keeps that from costing 500 ms a record.
        consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer()));
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, e) -> new TopicPartition(record.topic() + "-dlt", record.partition()));
        ContainerProperties properties = new ContainerProperties(
                fixtures.stream().map(f -> f.source).toArray(String[]::new));
        // Short polls: stopping the container waits for the current poll to return.
        properties.setPollTimeout(100);
        properties.setMessageListener((MessageListener<String, byte[]>) record -> {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (value.contains("\"timeout\"")) {
                throw new IllegalStateException("upstream timeout for " + value);
            }
            throw new IllegalArgumentException("poison record " + value);
        });
        ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()),
                properties);
        container.setCommonErrorHandler(new DefaultErrorHandler(recoverer, new FixedBackOff(0L, 1L)));
        container.start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                    .until(() -> fixtures.stream().allMatch(f -> f.count(f.deadLetters, false) >= expected));
        } finally {
            container.stop();
        }
    }

    /** Committed records in a topic (aborted transactions excluded unless {@code uncommitted}). */
    long count(String topic, boolean uncommitted) {
        return read(topic, uncommitted).size();
    }

    List<ConsumerRecord<String, byte[]>> read(String topic, boolean uncommitted) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, uncommitted ? "read_uncommitted" : "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            // A topic the replay just created may not be in this client's metadata yet.
            List<TopicPartition> partitions = await().atMost(Duration.ofSeconds(10))
                    .until(() -> consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList(), list -> !list.isEmpty());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                batch.forEach(records::add);
            }
        }
        return records;
    }

    /** The records republished to the source topic by replay: their sift-replayed-from values. */
    List<String> replayedFrom(boolean uncommitted) {
        return read(source, uncommitted).stream()
                .filter(r -> r.headers().lastHeader(DeadLetter.REPLAYED_FROM) != null)
                .map(r -> new String(r.headers().lastHeader(DeadLetter.REPLAYED_FROM).value(), StandardCharsets.UTF_8))
                .toList();
    }
}
