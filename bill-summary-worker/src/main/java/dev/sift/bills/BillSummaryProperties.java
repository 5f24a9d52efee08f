package dev.sift.bills;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code sift.bills.*}: how bills are summarised, polled, hedged and retried (defaults and why: README).
 *
 * @param maxAttempts generation requests per bill and round (the first plus re-requests after {@code failed},
 *     {@code incomplete} or a retryable HTTP error) before the bill goes to the retry topics
 * @param maxOutputTokens {@code max_output_tokens} of a summary (three short paragraphs)
 * @param roundTimeout a round that has not finished by then fails its unfinished bills retryably
 * @param resumeWindow a background response created less than this long ago is polled again after a restart
 *     instead of paying for a new one (the provider keeps background responses about 10 minutes)
 * @param concurrency listener threads for batches
 */
@Validated
@ConfigurationProperties("sift.bills")
public record BillSummaryProperties(@DefaultValue("3") @Min(1) int maxAttempts,
        @DefaultValue("800") @Min(16) int maxOutputTokens, @DefaultValue("PT30M") Duration roundTimeout,
        @DefaultValue("PT9M") Duration resumeWindow, @DefaultValue("1") @Min(1) int concurrency,
        @DefaultValue @Valid Poll poll, @DefaultValue @Valid Hedge hedge, @DefaultValue @Valid Sync sync,
        @DefaultValue @Valid BatchApi batchApi, @DefaultValue @Valid Retry retry, @DefaultValue @Valid Streams streams) {

    /**
     * Polling background responses: a FIFO queue (by due time) served by {@code workers} threads. A round's live
     * requests share about {@code rate} polls a second: the wait before a request's next poll is (live requests ÷
     * {@code rate}) within [{@code minInterval}, {@code maxInterval}], ±{@code jitter}. Early, with every bill
     * running and none due, each is polled about once a second; late, the few requests that decide the round's
     * wall time (and trigger its hedges) are polled every {@code minInterval}–0.2 s, so a completion is seen soon.
     */
    public record Poll(@DefaultValue("4") @Min(1) int workers, @DefaultValue("PT0.1S") Duration minInterval,
            @DefaultValue("PT1S") Duration maxInterval, @DefaultValue("25") @DecimalMin("0.1") double rate,
            @DefaultValue("0.2") @DecimalMin("0") @DecimalMax("0.9") double jitter) {
    }

    /**
     * Hedged requests: one duplicate per request; the first completion wins and the other is cancelled. A round
     * hedges its tail: once its bills still running without a duplicate are no more than its credits, each gets one
     * ({@code dev.sift.bills.summaries.HedgePolicy}).
     *
     * @param minDelay a request younger than this is not hedged (a round of a few bills with carried-over credits
     *     would otherwise double them at once)
     * @param budgetRatio hedge credits a round earns per original request (0.10: at most 10 % extra requests)
     * @param carryOver credits a round left unspent that later rounds may use (0: every round within its own 10 %)
     */
    public record Hedge(@DefaultValue("true") boolean enabled, @DefaultValue("PT2S") Duration minDelay,
            @DefaultValue("0.10") @DecimalMin("0") double budgetRatio,
            @DefaultValue("0") @DecimalMin("0") double carryOver) {
    }

    /** {@code sync} mode: requests in flight at once (hedges included). */
    public record Sync(@DefaultValue("8") @Min(1) int concurrency) {
    }

    /** {@code batch} mode: how often a Batch API batch is polled. */
    public record BatchApi(@DefaultValue("PT30S") Duration pollInterval) {
    }

    /**
     * @param delays one retry topic per delay, then the DLT
     * @param groupId consumer group of the batch listener and its retry topics
     */
    public record Retry(@DefaultValue({"PT1M", "PT10M", "PT1H"}) @NotEmpty List<Duration> delays,
            @DefaultValue("sift-bill-summary") String groupId) {
    }

    /**
     * The batcher's Kafka Streams instance (as clustering-worker's).
     *
     * @param commitInterval exactly-once: what the batcher writes (the repartitioned bills, then the closed batch)
     *     is visible to readers only when its transaction commits, so a bill passes this wait twice on its way to
     *     the worker. 100 ms (Kafka's own default under exactly-once) instead of 1 s took ~1.4 s off the first
     *     POST → first request path; an idle batcher does not commit, so it costs nothing when no bills arrive.
     */
    public record Streams(@DefaultValue("sift-bill-batcher") String applicationId, @DefaultValue("") String stateDir,
            @DefaultValue("PT0.1S") Duration commitInterval) {

        public String stateDirOrDefault() {
            return stateDir.isBlank() ? System.getProperty("java.io.tmpdir") + "/sift-bill-streams" : stateDir;
        }
    }
}
