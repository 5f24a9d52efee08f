package dev.sift.feedback.readmodel;

import dev.sift.contracts.Topic;
import dev.sift.contracts.Topics;
import dev.sift.kafka.DeadLetters;
import dev.sift.kafka.SiftKafkaProperties;
import java.util.stream.Stream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Where the read model sends records it cannot use: {@code <topic>-dlt}, keeping key, value and
 * headers and adding spring-kafka's {@code kafka_original-*} and {@code kafka_exception-*} headers,
 * which {@code sift dlq} reads.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    @Bean
    DeadLetterPublishingRecoverer readModelDeadLetters(KafkaTemplate<String, byte[]> template) {
        return DeadLetters.recoverer(template);
    }

    @Bean
    KafkaAdmin.NewTopics readModelDeadLetterTopics(SiftKafkaProperties properties) {
        return properties.declare(Stream.of(Topics.FEEDBACK_SUBMITTED, Topics.FEEDBACK_CLUSTERED,
                        Topics.CLUSTER_LABELED).map(Topic::deadLetterTopic));
    }
}
