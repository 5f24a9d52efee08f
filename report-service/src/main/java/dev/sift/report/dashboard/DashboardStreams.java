package dev.sift.report.dashboard;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the dashboard topology for the life of the application context, exactly-once
 * ({@code exactly_once_v2}): the deduplication ids, the aggregates and the consumed offsets commit together.
 */
final class DashboardStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DashboardStreams.class);

    private final KafkaStreams streams;
    private volatile boolean running;

    DashboardStreams(String bootstrapServers, DashboardProperties properties, DailyAggregateWriter writer) {
        this.streams = new KafkaStreams(
                DashboardTopology.build(new StreamsBuilder(), properties.deduplicationWindow(),
                        properties.writeInterval(), writer),
                config(bootstrapServers, properties));
    }

    static Properties config(String bootstrapServers, DashboardProperties properties) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDirectory());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, properties.cacheSize().toBytes());
        // A record that is not a valid LectureActivityRecorded cannot become valid by retrying: skip it, logged.
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return config;
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
