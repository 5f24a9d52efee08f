package dev.sift.batching;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When batches close (docs/contracts.md, Configuration): a global rule and per-pipeline overrides.
 *
 * @param maxItems records that close a batch, for every pipeline without a value of its own
 * @param maxWait age of a batch's oldest record that closes it, likewise
 * @param checkInterval how often the wall-clock punctuator looks for batches that are old enough; a batch
 *     closes at most this much later than {@code maxWait}
 * @param pipelines overrides by pipeline name ({@code feedback}, {@code bills}, …)
 */
@Validated
@ConfigurationProperties("sift.batching")
public record BatchingProperties(@DefaultValue("100") @Min(1) int maxItems, @DefaultValue("PT2H") Duration maxWait,
        @DefaultValue("PT10S") Duration checkInterval, @DefaultValue Map<String, @Valid Pipeline> pipelines) {

    /** A pipeline's own values; an absent one falls back to the global value. */
    public record Pipeline(@Nullable @Min(1) Integer maxItems, @Nullable Duration maxWait,
            @Nullable Duration checkInterval) {
    }

    /** The effective settings of one pipeline. */
    public BatchSettings forPipeline(String name) {
        Pipeline own = pipelines.get(name);
        if (own == null) {
            return new BatchSettings(maxItems, maxWait, checkInterval);
        }
        return new BatchSettings(own.maxItems() != null ? own.maxItems() : maxItems,
                own.maxWait() != null ? own.maxWait() : maxWait,
                own.checkInterval() != null ? own.checkInterval() : checkInterval);
    }
}
