package dev.sift.clustering;

import dev.sift.contracts.Topics;
import dev.sift.kafka.SiftKafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** This worker's settings and the batcher's dead-letter topic. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusteringProperties.class)
class ClusteringConfiguration {

    /** Unparseable submitted feedback lands here (written by the batcher), as many partitions as its source. */
    @Bean
    KafkaAdmin.NewTopics feedbackSubmittedDeadLetters(SiftKafkaProperties topics) {
        return topics.declare(java.util.stream.Stream.of(Topics.FEEDBACK_SUBMITTED.deadLetterTopic()));
    }
}
