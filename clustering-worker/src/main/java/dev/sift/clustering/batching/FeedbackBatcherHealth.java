package dev.sift.clustering.batching;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code feedbackBatcher}, part of the readiness group: up while the batcher's
 * Kafka Streams instance is created, rebalancing or running; down once it has stopped or failed, because then no
 * feedback is batched however healthy the listener looks.
 */
@Component("feedbackBatcherHealthIndicator")
class FeedbackBatcherHealth implements HealthIndicator {

    private final StreamsBuilderFactoryBean streams;

    FeedbackBatcherHealth(StreamsBuilderFactoryBean streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams running = streams.getKafkaStreams();
        if (running == null) {
            return Health.up().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = running.state();
        Health.Builder health = state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED
                ? Health.up() : Health.down();
        return health.withDetail("state", state.name()).build();
    }
}
