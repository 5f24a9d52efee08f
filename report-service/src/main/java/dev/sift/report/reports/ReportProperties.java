package dev.sift.report.reports;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of instructor reports ({@code sift.report.reports.*}).
 *
 * @param retryAfter the {@code Retry-After} of a 202 GENERATING answer
 * @param claimTimeout a GENERATING claim older than this (its requester died before publishing, or every
 *     retry stalled) may be claimed again; each generation attempt renews it, so it must exceed the longest
 *     retry delay
 * @param retryDelays one retry topic per delay, then {@code -dlt}
 * @param maxQuestions newest questions a report is written from; {@code maxReviews} likewise
 * @param maxOutputTokens the LLM's output budget for one report
 * @param concurrency listener threads for report generation
 * @param generatingReuse how long a GENERATING that a lookup found is answered again from memory (by
 *     {@link ReportFastPath}) without looking: a report completed or failed on another replica meanwhile is seen at
 *     most this late (on this replica it is seen at once); keep it well below {@code retryAfter}
 */
@Validated
@ConfigurationProperties("sift.report.reports")
record ReportProperties(
        @DefaultValue("5s") @NotNull Duration retryAfter,
        @DefaultValue("15m") @NotNull Duration claimTimeout,
        @DefaultValue({"10s", "1m", "5m"}) @NotEmpty List<Duration> retryDelays,
        @DefaultValue("200") @Min(1) int maxQuestions,
        @DefaultValue("200") @Min(1) int maxReviews,
        @DefaultValue("1200") @Min(100) int maxOutputTokens,
        @DefaultValue("1") @Min(1) int concurrency,
        @DefaultValue("1s") @NotNull Duration generatingReuse) {
}
