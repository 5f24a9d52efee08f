package dev.sift.kafka;

import dev.sift.contracts.Topic;
import dev.sift.contracts.Topics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Declares the contract's topics and provides the {@link EventPublisher}. Every service declares all
 * contract topics, so whichever starts first creates them with the same partition count; retry and
 * dead-letter topics are declared by the listeners that own them.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(SiftKafkaProperties.class)
public class SiftKafkaAutoConfiguration {

    @Bean
    @ConditionalOnBean(KafkaAdmin.class)
    @ConditionalOnProperty(name = "sift.kafka.declare-topics", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics siftContractTopics(SiftKafkaProperties properties) {
        return properties.declare(Topics.ALL.stream().map(Topic::name));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(KafkaTemplate.class)
    EventPublisher eventPublisher(KafkaTemplate<String, byte[]> template, Environment environment) {
        // The platform defaults make byte[] the producer's value serializer: EventPublisher writes the
        // JSON and the CloudEvents headers itself, so one observed template serves every topic.
        String source = "/sift/" + environment.getProperty("spring.application.name", "unknown");
        return new EventPublisher(template, source);
    }
}
