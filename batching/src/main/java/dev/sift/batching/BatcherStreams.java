package dev.sift.batching;

import dev.sift.kafka.SiftKafkaProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * A service's batcher as its own Kafka Streams instance: a {@link StreamsBuilderFactoryBean} per service rather
 * than {@code @EnableKafkaStreams}, so the batchers of several services cannot collide in the one-JVM local stack.
 * Every batcher runs {@code exactly_once_v2}: the store, the emitted batch and the input offsets commit together,
 * so no batch is lost or emitted twice on a crash.
 */
public final class BatcherStreams {

    private BatcherStreams() {
    }

    /**
     * @param kafka Boot's Kafka settings: bootstrap servers and any TLS/SASL settings
     * @param topology adds the batcher (and whatever it needs) to the builder
     */
    public static StreamsBuilderFactoryBean factoryBean(KafkaProperties kafka, SiftKafkaProperties topics,
            String applicationId, String stateDirectory, Duration commitInterval, MeterRegistry meterRegistry,
            Consumer<StreamsBuilder> topology) {
        Map<String, Object> config = new HashMap<>(kafka.buildStreamsProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.replicationFactor());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        StreamsBuilderFactoryBean factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(config));
        factory.addListener(new KafkaStreamsMicrometerListener(meterRegistry));
        factory.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
            @Override
            public void configureBuilder(StreamsBuilder builder) {
                topology.accept(builder);
            }
        });
        return factory;
    }
}
