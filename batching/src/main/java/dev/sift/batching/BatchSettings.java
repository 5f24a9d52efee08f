package dev.sift.batching;

import java.time.Duration;

/** The rule that closes a pipeline's batches: {@code maxItems} records or {@code maxWait} age, whichever first. */
public record BatchSettings(int maxItems, Duration maxWait, Duration checkInterval) {

    public BatchSettings {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1");
        }
        if (maxWait.isNegative() || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("maxWait must not be negative and checkInterval must be positive");
        }
    }

    public static BatchSettings defaults() {
        return new BatchSettings(100, Duration.ofHours(2), Duration.ofSeconds(10));
    }
}
