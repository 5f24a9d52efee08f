package dev.sift.bills.batching;

import dev.sift.batching.BatcherMetrics;
import dev.sift.batching.BatcherStreams;
import dev.sift.batching.BatchingProperties;
import dev.sift.bills.BillSummaryProperties;
import dev.sift.kafka.SiftKafkaProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** Runs the bill batcher as this service's own Kafka Streams instance ({@link BatcherStreams}). */
@Configuration(proxyBeanMethods = false)
class BillBatchingConfiguration {

    @Bean
    StreamsBuilderFactoryBean billBatchingStreams(KafkaProperties kafka, BatchingProperties batching,
            BillSummaryProperties bills, SiftKafkaProperties topics, MeterRegistry meterRegistry) {
        BillSummaryProperties.Streams streams = bills.streams();
        return BatcherStreams.factoryBean(kafka, topics, streams.applicationId(), streams.stateDirOrDefault(),
                streams.commitInterval(), meterRegistry,
                builder -> BillBatcher.buildTopology(builder, batching.forPipeline(BillBatcher.PIPELINE_NAME),
                        new BatcherMetrics(BillBatcher.PIPELINE_NAME, meterRegistry)));
    }
}
