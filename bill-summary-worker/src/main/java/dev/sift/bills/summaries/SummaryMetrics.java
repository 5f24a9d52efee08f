package dev.sift.bills.summaries;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * {@code sift.bills.requests{kind=original|retry|hedge}}, {@code sift.bills.polls}, {@code sift.bills.cancels},
 * {@code sift.bills.hedge.wins} and {@code sift.bills.summary.latency} (bill created → outcome seen). The GenAI
 * metrics of each HTTP call are the {@code ai} module's.
 */
public final class SummaryMetrics {

    private final Counter originals;
    private final Counter retries;
    private final Counter hedges;
    private final Counter polls;
    private final Counter cancels;
    private final Counter hedgeWins;
    private final Timer latency;

    public SummaryMetrics(MeterRegistry registry) {
        originals = Counter.builder("sift.bills.requests").tag("kind", "original").register(registry);
        retries = Counter.builder("sift.bills.requests").tag("kind", "retry").register(registry);
        hedges = Counter.builder("sift.bills.requests").tag("kind", "hedge").register(registry);
        polls = Counter.builder("sift.bills.polls").register(registry);
        cancels = Counter.builder("sift.bills.cancels").register(registry);
        hedgeWins = Counter.builder("sift.bills.hedge.wins").register(registry);
        latency = Timer.builder("sift.bills.summary.latency").publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }

    public static SummaryMetrics unregistered() {
        return new SummaryMetrics(new SimpleMeterRegistry());
    }

    void request(boolean hedge, boolean retry) {
        (hedge ? hedges : retry ? retries : originals).increment();
    }

    void poll() {
        polls.increment();
    }

    void cancel() {
        cancels.increment();
    }

    void hedgeWon() {
        hedgeWins.increment();
    }

    void latency(Duration duration) {
        latency.record(duration);
    }

    public double hedges() {
        return hedges.count();
    }

    public double retries() {
        return retries.count();
    }

    public double polls() {
        return polls.count();
    }
}
