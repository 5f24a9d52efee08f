package dev.sift.report.reports;

import dev.sift.ai.PermanentAiProviderException;
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
 * Non-blocking retries of {@code sift.report.requested.v1}: one delayed retry topic per configured delay
 * ({@code -retry-10000}, {@code -retry-60000}, {@code -retry-300000} by default), then {@code -dlt}; all declared
 * with the source topic's partition count. Failures no retry can fix (a provider 4xx other than 408/409/429, a
 * record that does not parse) go straight to the DLT.
 */
@Configuration(proxyBeanMethods = false)
class ReportRetryConfiguration {

    @Bean
    RetryTopicConfiguration reportRequestRetries(KafkaTemplate<String, byte[]> template, ReportProperties properties,
            SiftKafkaProperties topics) {
        return RetryTopicConfigurationBuilder.newInstance()
                .customBackoff(new DelayListBackOff(properties.retryDelays()))
                .maxAttempts(properties.retryDelays().size() + 1)
                .notRetryOn(List.of(PermanentAiProviderException.class, SerializationException.class))
                .traversingCauses()
                .autoCreateTopics(true, topics.partitions(), topics.replicationFactor())
                .includeTopic("sift.report.requested.v1")
                .dltHandlerMethod(ReportRequestListener.BEAN, "onDeadLetter")
                .create(template);
    }
}
