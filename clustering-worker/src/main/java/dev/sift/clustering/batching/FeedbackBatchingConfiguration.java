package dev.sift.clustering.batching;

import dev.sift.batching.BatcherMetrics;
import dev.sift.batching.BatchingProperties;
import dev.sift.clustering.ClusteringProperties;
import dev.sift.kafka.SiftKafkaProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * Runs the feedback batcher as this service's own Kafka Streams instance. Declared here rather than through
 * {@code @EnableKafkaStreams} so that it cannot collide with another service's streams in the one-JVM local stack.
 */
@Configuration(proxyBeanMethods = false)
class FeedbackBatchingConfiguration {

    @Bean
    StreamsBuilderFactoryBean feedbackBatchingStreams(KafkaProperties kafka, BatchingProperties batching,
            ClusteringProperties clustering, SiftKafkaProperties topics, MeterRegistry meterRegistry) {
        ClusteringProperties.Streams streams = clustering.streams();
        // Boot's streams properties carry bootstrap servers and any TLS/SASL settings (spring.kafka.security.*, ssl.*).
        Map<String, Object> config = new HashMap<>(kafka.buildStreamsProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, streams.applicationId());
        // Store, emitted batch and input offsets commit atomically: no batch lost or emitted twice on a crash.
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, streams.stateDirOrDefault());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.replicationFactor());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streams.commitInterval().toMillis());
        StreamsBuilderFactoryBean factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(config));
        factory.addListener(new KafkaStreamsMicrometerListener(meterRegistry));
        factory.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
            @Override
            public void configureBuilder(StreamsBuilder builder) {
                FeedbackBatcher.buildTopology(builder, batching.forPipeline(FeedbackBatcher.PIPELINE_NAME),
                        new BatcherMetrics(FeedbackBatcher.PIPELINE_NAME, meterRegistry));
            }
        });
        return factory;
    }
}
