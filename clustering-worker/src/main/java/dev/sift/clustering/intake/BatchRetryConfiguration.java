package dev.sift.clustering.intake;

import dev.sift.ai.PermanentAiProviderException;
import dev.sift.clustering.ClusteringProperties;
import dev.sift.contracts.Topics;
import dev.sift.kafka.DelayListBackOff;
import dev.sift.kafka.SiftKafkaProperties;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.retrytopic.RetryTopicConfiguration;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationBuilder;

/**
 * Non-blocking retries of {@code sift.feedback.batched.v1}: one delayed retry topic per configured delay
 * ({@code -retry-60000}, {@code -retry-600000}, {@code -retry-3600000} by default), then {@code -dlt}; all
 * declared with the source topic's partition count. Failures no retry can fix go straight to the DLT, with
 * spring-kafka's {@code kafka_exception-*} and {@code kafka_original-*} headers saying why and from where.
 */
@Configuration(proxyBeanMethods = false)
class BatchRetryConfiguration {

    @Bean
    RetryTopicConfiguration feedbackBatchRetries(KafkaTemplate<String, byte[]> template,
            ClusteringProperties properties, SiftKafkaProperties topics) {
        List<java.time.Duration> delays = properties.retry().delays();
        return RetryTopicConfigurationBuilder.newInstance()
                .customBackoff(new DelayListBackOff(delays))
                .maxAttempts(delays.size() + 1)
                .notRetryOn(List.of(PermanentAiProviderException.class, SerializationException.class))
                .traversingCauses()
                .autoCreateTopics(true, topics.partitions(), topics.replicationFactor())
                .includeTopic(Topics.FEEDBACK_BATCHED.name())
                .listenerFactory(BatchListenerFactoryConfiguration.FACTORY)
                .create(template);
    }
}
