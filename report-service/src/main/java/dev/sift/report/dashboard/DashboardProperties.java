package dev.sift.report.dashboard;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the dashboard aggregation ({@code sift.report.dashboard.*}).
 *
 * @param applicationId the Kafka Streams {@code application.id}: consumer group, prefix of the internal topics
 * @param stateDirectory where RocksDB keeps the state stores (restored from changelogs when lost)
 * @param commitInterval how often Streams commits the exactly-once transaction: state and offsets; dashboard
 *     freshness comes from the write interval, not from this
 * @param writeInterval how often changed days are written to Postgres
 * @param catchUpWriteInterval how often while catching up on a backlog, so that each day is written about once
 * @param catchUpLag records behind the end of a partition (consumer lag) above which its task counts as catching up
 * @param streamThreads stream threads in this replica (one task per partition of the activity topic)
 * @param cachedDays days held as objects per task in front of RocksDB (each is changed many times)
 * @param cachedStudents students held as objects per task in front of RocksDB (each is mostly seen once or twice)
 */
@Validated
@ConfigurationProperties("sift.report.dashboard")
record DashboardProperties(
        @DefaultValue("report-service-dashboards") @NotBlank String applicationId,
        @NotBlank String stateDirectory,
        @DefaultValue("10s") @NotNull Duration commitInterval,
        @DefaultValue("1s") @NotNull Duration writeInterval,
        @DefaultValue("60s") @NotNull Duration catchUpWriteInterval,
        @DefaultValue("10000") @PositiveOrZero long catchUpLag,
        @DefaultValue("1") int streamThreads,
        @DefaultValue("50000") @Positive int cachedDays,
        @DefaultValue("1000") @Positive int cachedStudents) {
}
