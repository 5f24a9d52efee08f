package dev.sift.clustering.batching;

import dev.sift.batching.BatcherMetrics;
import dev.sift.batching.BatcherStreams;
import dev.sift.batching.BatchingProperties;
import dev.sift.clustering.ClusteringProperties;
import dev.sift.kafka.SiftKafkaProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** Runs the feedback batcher as this service's own Kafka Streams instance ({@link BatcherStreams}). */
@Configuration(proxyBeanMethods = false)
class FeedbackBatchingConfiguration {

    @Bean
    StreamsBuilderFactoryBean feedbackBatchingStreams(KafkaProperties kafka, BatchingProperties batching,
            ClusteringProperties clustering, SiftKafkaProperties topics, MeterRegistry meterRegistry) {
        ClusteringProperties.Streams streams = clustering.streams();
        return BatcherStreams.factoryBean(kafka, topics, streams.applicationId(), streams.stateDirOrDefault(),
                streams.commitInterval(), meterRegistry,
                builder -> FeedbackBatcher.buildTopology(builder, batching.forPipeline(FeedbackBatcher.PIPELINE_NAME),
                        new BatcherMetrics(FeedbackBatcher.PIPELINE_NAME, meterRegistry)));
    }
}
