package dev.sift.kafka;

import jakarta.validation.constraints.Min;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.validation.annotation.Validated;

/**
 * How a service declares the contract's topics at start-up.
 *
 * @param partitions partitions of every contract topic this service creates; keys are organisation,
 *     bill or instructor ids, so this bounds how many worker instances can share the load
 * @param replicationFactor 1 for a single broker, 3 on a real cluster
 * @param declareTopics whether to create missing topics at start (KafkaAdmin never alters existing ones)
 */
@Validated
@ConfigurationProperties("sift.kafka")
public record SiftKafkaProperties(@DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor, @DefaultValue("true") boolean declareTopics) {

    /**
     * Topics to create at start with these partitions and replicas; a retry or dead-letter topic
     * gets the same count as its source, as the contract asks.
     */
    public KafkaAdmin.NewTopics declare(Stream<String> names) {
        return new KafkaAdmin.NewTopics(names
                .map(name -> TopicBuilder.name(name).partitions(partitions).replicas(replicationFactor).build())
                .toArray(NewTopic[]::new));
    }
}
