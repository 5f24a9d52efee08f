package dev.sift.report;

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
 * Where the read models (bills, questions and reviews) send records they cannot use: {@code <topic>-dlt}
 * with the contract's {@code kafka_original-*} and {@code kafka_exception-*} headers, which {@code sift dlq}
 * reads. The report generation's retry and dead-letter topics are declared by its own retry configuration.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    @Bean
    DeadLetterPublishingRecoverer readModelDeadLetters(KafkaTemplate<String, byte[]> template) {
        return DeadLetters.recoverer(template);
    }

    @Bean
    KafkaAdmin.NewTopics readModelDeadLetterTopics(SiftKafkaProperties properties) {
        return properties.declare(Stream.of(Topics.BILL_RECEIVED, Topics.BILL_SUMMARIZED, Topics.LECTURE_QUESTION,
                Topics.LECTURE_REVIEW).map(Topic::deadLetterTopic));
    }
}
