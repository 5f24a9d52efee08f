package dev.sift.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of one pipeline: {@code sift.batching.flushes} by reason, {@code sift.batching.batch.size} and
 * {@code sift.batching.oldest.age} (seconds; the maximum over the stream tasks of this instance).
 */
public final class BatcherMetrics {

    private final Counter byCount;
    private final Counter byTime;
    private final Counter deadLettered;
    private final DistributionSummary size;
    private final Map<String, Double> oldestAgeByTask = new ConcurrentHashMap<>();

    public BatcherMetrics(String pipeline, MeterRegistry registry) {
        byCount = Counter.builder("sift.batching.flushes").tag("pipeline", pipeline).tag("reason", "COUNT")
                .description("Batches closed").register(registry);
        byTime = Counter.builder("sift.batching.flushes").tag("pipeline", pipeline).tag("reason", "TIME")
                .description("Batches closed").register(registry);
        deadLettered = Counter.builder("sift.batching.dead.letters").tag("pipeline", pipeline)
                .description("Records sent to the dead-letter topic because they do not parse").register(registry);
        size = DistributionSummary.builder("sift.batching.batch.size").tag("pipeline", pipeline)
                .description("Records per closed batch").register(registry);
        Gauge.builder("sift.batching.oldest.age", oldestAgeByTask,
                        ages -> ages.values().stream().mapToDouble(Double::doubleValue).max().orElse(0))
                .tag("pipeline", pipeline).baseUnit("seconds")
                .description("Age of the oldest buffered record").register(registry);
    }

    void closed(CloseReason reason, int items) {
        (reason == CloseReason.COUNT ? byCount : byTime).increment();
        size.record(items);
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void oldestAge(String task, double seconds) {
        oldestAgeByTask.put(task, seconds);
    }

    public double flushes(CloseReason reason) {
        return (reason == CloseReason.COUNT ? byCount : byTime).count();
    }
}
