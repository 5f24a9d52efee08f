package dev.sift.report.dashboard;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the dashboard aggregation ({@code sift.report.dashboard.*}).
 *
 * @param applicationId the Kafka Streams {@code application.id}: consumer group, prefix of the internal topics
 * @param stateDirectory where RocksDB keeps the state stores (restored from changelogs when lost)
 * @param commitInterval how often Streams commits; the exactly-once transaction, so also the latency floor
 * @param writeInterval how often changed days are written to Postgres
 * @param deduplicationWindow how long an {@code eventId} is remembered to drop its duplicates
 * @param streamThreads stream threads in this replica (one task per partition of the activity topic)
 * @param cacheSize the record cache in front of the state stores, shared by the stream threads: hot days and
 *     students are read and changed there, and reach RocksDB and the changelog once per commit
 */
@Validated
@ConfigurationProperties("sift.report.dashboard")
record DashboardProperties(
        @DefaultValue("report-service-dashboards") @NotBlank String applicationId,
        @NotBlank String stateDirectory,
        @DefaultValue("1s") @NotNull Duration commitInterval,
        @DefaultValue("1s") @NotNull Duration writeInterval,
        @DefaultValue("7d") @NotNull Duration deduplicationWindow,
        @DefaultValue("1") int streamThreads,
        @DefaultValue("64MB") @NotNull DataSize cacheSize) {
}
