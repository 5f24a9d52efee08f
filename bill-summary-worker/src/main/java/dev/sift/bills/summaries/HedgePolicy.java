package dev.sift.bills.summaries;

import dev.sift.bills.BillSummaryProperties;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * When to send a duplicate of a slow request, and how many duplicates are allowed.
 *
 * <p>Delay: the configured quantile (p95) of the last {@code window} latencies of finished rounds, never below
 * {@code minDelay}. Latencies of the running round are censored — only its fast requests have finished — so they
 * count only when the round is over. Until {@code minSamples} latencies exist, and in any round, a second rule
 * applies: once that share of the round's bills finished, the others are by definition past the round's p95 and
 * may be hedged.
 *
 * <p>Budget: every original request earns {@code budgetRatio} hedge credits (at most {@code budgetBurst} saved up);
 * a hedge spends one. With 0.10, duplicates never exceed 10 % of requests.
 */
public final class HedgePolicy {

    private final BillSummaryProperties.Hedge settings;
    private final Deque<Long> recentNanos = new ArrayDeque<>();
    private double credits;
    private @Nullable Duration cachedDelay;

    public HedgePolicy(BillSummaryProperties.Hedge settings) {
        this.settings = settings;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * The latencies of a finished round. Only whole rounds count: while a round runs only its fast requests have
     * finished, and their quantile would hedge everything else far too early.
     */
    public synchronized void observe(List<Duration> latencies) {
        for (Duration latency : latencies) {
            recentNanos.addLast(latency.toNanos());
            if (recentNanos.size() > settings.window()) {
                recentNanos.removeFirst();
            }
        }
        cachedDelay = null;
    }

    /** The quantile of recent latencies (floored), or null while fewer than {@code minSamples} were observed. */
    public synchronized @Nullable Duration delay() {
        if (recentNanos.size() < settings.minSamples()) {
            return null;
        }
        if (cachedDelay == null) {
            long[] sorted = recentNanos.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(settings.quantile() * sorted.length) - 1);
            Duration quantile = Duration.ofNanos(sorted[Math.max(0, index)]);
            cachedDelay = quantile.compareTo(settings.minDelay()) < 0 ? settings.minDelay() : quantile;
        }
        return cachedDelay;
    }

    /**
     * Whether a request that has run {@code elapsed} is past the hedge delay.
     *
     * @param finished bills of its round that have finished; {@code total} bills in the round
     */
    public boolean due(Duration elapsed, int finished, int total) {
        if (!settings.enabled() || elapsed.compareTo(settings.minDelay()) < 0) {
            return false;
        }
        int tail = Math.max(1, (int) Math.floor(settings.quantile() * total));
        if (total > 1 && finished >= tail) {
            return true;
        }
        Duration delay = delay();
        return delay != null && elapsed.compareTo(delay) >= 0;
    }

    /** {@code requests} original requests were sent: they earn hedge credits. */
    public synchronized void earn(int requests) {
        credits = Math.min(settings.budgetBurst(), credits + requests * settings.budgetRatio());
    }

    /** Takes one hedge credit if there is one. */
    public synchronized boolean trySpend() {
        // Credits are sums of tenths: compare with a tolerance so ten 0.1s make one credit.
        if (credits >= 1 - 1e-9) {
            credits -= 1;
            return true;
        }
        return false;
    }
}
