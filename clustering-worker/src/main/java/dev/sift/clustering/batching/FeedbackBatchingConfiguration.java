package dev.sift.clustering.batching;

import dev.sift.batching.BatcherMetrics;
import dev.sift.batching.BatchingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
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
            MeterRegistry meterRegistry, Environment environment) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG,
                environment.getProperty("sift.clustering.streams.application-id", "sift-clustering-batcher"));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        // Store, emitted batch and input offsets commit atomically: no batch lost or emitted twice on a crash.
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, environment.getProperty("sift.clustering.streams.state-dir",
                System.getProperty("java.io.tmpdir") + "/sift-clustering-streams"));
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG,
                environment.getProperty("sift.kafka.replication-factor", Integer.class, 1));
        // Commit often: under EOS a batch becomes visible to the clustering listener only on commit.
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                environment.getProperty("sift.clustering.streams.commit-interval-ms", Integer.class, 1000));
        StreamsBuilderFactoryBean factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(config));
        factory.addListener(new KafkaStreamsMicrometerListener(meterRegistry));
        factory.setInfrastructureCustomizer(new org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer() {
            @Override
            public void configureBuilder(StreamsBuilder builder) {
                FeedbackBatcher.buildTopology(builder, batching.forPipeline(FeedbackBatcher.PIPELINE_NAME),
                        new BatcherMetrics(FeedbackBatcher.PIPELINE_NAME, meterRegistry));
            }
        });
        return factory;
    }
}
