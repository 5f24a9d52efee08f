package dev.sift.report.dashboard;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** Wires the dashboard aggregation to the platform's broker and the service's Postgres schema. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardProperties.class)
class DashboardConfiguration {

    @Bean
    DashboardStreams dashboardStreams(KafkaProperties kafka, DashboardProperties properties, DatabaseClient database) {
        return new DashboardStreams(String.join(",", kafka.getBootstrapServers()), properties,
                new PostgresDailyAggregateWriter(database));
    }
}
