package dev.sift.report.dashboard;

import dev.sift.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the dashboard topology for the life of the application context, exactly-once
 * ({@code exactly_once_v2}): the students, the days (with their counted payment ids), the pending days and the
 * consumed offsets commit together.
 */
final class DashboardStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DashboardStreams.class);

    private final KafkaStreams streams;
    private volatile boolean running;

    DashboardStreams(String bootstrapServers, DashboardProperties properties, DailyAggregateWriter writer) {
        this.streams = kafkaStreams(config(bootstrapServers, properties), properties, writer);
    }

    /** The production topology, its tasks told their consumer lag from this instance's metrics. */
    static KafkaStreams kafkaStreams(Properties config, DashboardProperties properties, DailyAggregateWriter writer) {
        AtomicReference<@Nullable KafkaStreams> instance = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(
                DashboardTopology.build(new StreamsBuilder(), properties, consumerLag(instance::get), writer), config);
        instance.set(streams);
        return streams;
    }

    /**
     * The consumer's {@code records-lag} of the partition (records between its fetch position and the partition's
     * end, updated with every fetch), the highest over this instance's stream threads; 0 while unknown. Read from
     * the metrics once per task and write interval: the Streams API has no other view of the lag from inside a
     * processor.
     */
    static PartitionLag consumerLag(Supplier<@Nullable KafkaStreams> instance) {
        String topic = Topics.LECTURE_ACTIVITY.name();
        return partition -> {
            KafkaStreams streams = instance.get();
            if (streams == null) {
                return 0;
            }
            String partitionTag = Integer.toString(partition);
            double lag = 0;
            for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
                MetricName name = metric.getKey();
                if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                        && partitionTag.equals(name.tags().get("partition"))
                        // The consumer writes the topic tag with '.' replaced by '_'.
                        && topic.replace('.', '_').equals(String.valueOf(name.tags().get("topic")).replace('.', '_'))
                        && metric.getValue().metricValue() instanceof Double value && !value.isNaN()) {
                    lag = Math.max(lag, value);
                }
            }
            return (long) lag;
        };
    }

    static Properties config(String bootstrapServers, DashboardProperties properties) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDirectory());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
        // The stores keep their own object caches (WriteBackStore); Kafka Streams' record cache is not used.
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        // A transaction spans a commit interval; it must not time out before the commit (Kafka's default is 10 s).
        config.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) Math.max(10_000, 3 * properties.commitInterval().toMillis()));
        // Changelog records come in bursts at each commit (every changed day and student): big batches mean few
        // produce requests for the broker. Room for a day's record at its largest (DashboardTopology.MAX_DAY_BYTES).
        config.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                DashboardTopology.MAX_DAY_BYTES + 64 * 1024);
        // A record that is not a valid LectureActivityRecorded cannot become valid by retrying: skip it, logged.
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // The restore consumer's fetches of a changelog that has nothing more (an empty one, or one caught up) waited
        // Kafka's default 500 ms each: a new application spent ~0.5 s per restoration round before RUNNING
        // (DashboardBenchmark, cold: RUNNING after 1.8-2.4 s, 1.3-1.4 s with 50 ms). While records are there, a
        // fetch returns at once either way.
        config.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        // Static membership (KIP-345): a restarted replica rejoins as the member it was and gets its tasks back at
        // once. A dynamic member does not leave its group on close (Kafka Streams 4.1 sends no LeaveGroup for one,
        // KAFKA-16514), so its successor waited for the old session to expire (45 s) before dashboards moved again.
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                memberId(Path.of(properties.stateDirectory()), properties.applicationId()));
        return config;
    }

    /**
     * This replica's {@code group.instance.id} (Kafka Streams appends each stream thread's index): the application id
     * and a UUID kept in the state directory, created on the first start. It is as unique as the state directory,
     * which Kafka Streams already locks to one running instance (a second one fails at start), and it lasts as long
     * as the state does: a replica that keeps its state directory across restarts keeps its membership, and one
     * that starts on an empty directory joins as a new member (its tasks' state is restored either way).
     */
    static String memberId(Path stateDirectory, String applicationId) {
        Path file = stateDirectory.resolve(applicationId + ".member-id");
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!stored.isEmpty()) {
                    return stored;
                }
            }
            String created = applicationId + "-" + UUID.randomUUID();
            Files.createDirectories(stateDirectory);
            Path written = Files.writeString(Files.createTempFile(stateDirectory, "member-id", ".tmp"), created,
                    StandardCharsets.UTF_8);
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the dashboard member id in " + file, e);
        }
    }

    @Override
    public void start() {
        // Any other failure of a stream thread (a store, the broker): a fresh one retries from the last commit.
        streams.setUncaughtExceptionHandler(failure -> {
            log.warn("Dashboard stream thread failed; replacing it", failure);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        running = true;
    }

    @Override
    public void stop() {
        streams.close(Duration.ofSeconds(30));
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    KafkaStreams.State state() {
        return streams.state();
    }
}
