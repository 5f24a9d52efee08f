package dev.sift.report.dashboard;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code dashboardStreams}: up while the topology runs or
 * rebalances, down once Kafka Streams has stopped or failed (dashboards would then go stale).
 */
@Component("dashboardStreamsHealthIndicator")
class DashboardStreamsHealth implements HealthIndicator {

    private final DashboardStreams streams;

    DashboardStreamsHealth(DashboardStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams.State state = streams.state();
        Health.Builder health = state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED
                ? Health.up() : Health.down();
        return health.withDetail("state", state.name()).build();
    }
}
