package dev.sift.ai;

import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one place every call to one provider goes through, whichever adapter makes it: token buckets for
 * requests and tokens per minute, a concurrency limit, {@code Retry-After} honoured on 429, and the
 * OpenTelemetry GenAI metrics {@code gen_ai.client.operation.duration} and {@code gen_ai.client.token.usage}.
 * Timeouts are set on each adapter's HTTP client. Other failures are not retried here: callers retry through
 * Kafka retry topics, where a waiting record does not hold a thread.
 */
public final class ProviderGuard {

    /** What the guard waits for; see {@link AiProperties.Port} for the meaning of each. */
    public record Limits(int requestsPerMinute, long tokensPerMinute, int maxConcurrency, Duration maxQueueWait,
            Duration maxRetryAfterWait, int maxRateLimitRetries) {
    }

    /** What one call cost, reported by the provider. */
    public record Usage(long inputTokens, long outputTokens) {
    }

    private final String provider;
    private final String operation;
    private final Limits limits;
    private final Bucket requests;
    private final Bucket tokens;
    private final Semaphore concurrency;
    private final MeterRegistry registry;

    public ProviderGuard(String provider, String operation, Limits limits, MeterRegistry registry) {
        this.provider = provider;
        this.operation = operation;
        this.limits = limits;
        this.requests = Bucket.builder().addLimit(limit -> limit.capacity(limits.requestsPerMinute())
                .refillGreedy(limits.requestsPerMinute(), Duration.ofMinutes(1))).build();
        this.tokens = Bucket.builder().addLimit(limit -> limit.capacity(limits.tokensPerMinute())
                .refillGreedy(limits.tokensPerMinute(), Duration.ofMinutes(1))).build();
        this.concurrency = new Semaphore(limits.maxConcurrency(), true);
        this.registry = registry;
    }

    /**
     * Runs one provider request within the limits.
     *
     * @param estimatedTokens taken from the tokens-per-minute bucket before the call
     * @param usage what the provider says the call cost, for the token metric
     */
    public <T> T call(String model, long estimatedTokens, Supplier<T> request, java.util.function.Function<T, Usage> usage) {
        T result = call(model, estimatedTokens, request);
        recordUsage(model, usage.apply(result));
        return result;
    }

    /**
     * Runs one provider request within the limits without recording tokens: for calls whose cost is known only
     * later (a background response reports its usage when a poll finds it done; see {@link #recordUsage}).
     */
    public <T> T call(String model, long estimatedTokens, Supplier<T> request) {
        acquire(estimatedTokens);
        try {
            int rateLimited = 0;
            while (true) {
                long start = System.nanoTime();
                try {
                    T result = request.get();
                    timer(model, null).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    return result;
                } catch (AiProviderException e) {
                    timer(model, e.status() > 0 ? Integer.toString(e.status()) : "unreachable")
                            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    Duration wait = e.retryAfter();
                    if (e.status() != 429 || wait == null || wait.compareTo(limits.maxRetryAfterWait()) > 0
                            || ++rateLimited > limits.maxRateLimitRetries()) {
                        throw e;
                    }
                    // The provider said when it will take the request again: wait exactly that, never less.
                    sleep(wait);
                }
            }
        } finally {
            concurrency.release();
        }
    }

    /** Records what one generation cost ({@code gen_ai.client.token.usage}). */
    public void recordUsage(String model, Usage used) {
        tokens(model, "input").record(used.inputTokens());
        if (used.outputTokens() > 0) {
            tokens(model, "output").record(used.outputTokens());
        }
    }

    private void acquire(long estimatedTokens) {
        long wanted = Math.min(Math.max(estimatedTokens, 1), limits.tokensPerMinute());
        try {
            long deadline = limits.maxQueueWait().toNanos();
            if (!requests.asBlocking().tryConsume(1, deadline)
                    || !tokens.asBlocking().tryConsume(wanted, deadline)) {
                throw new AiProviderException(provider + ": client-side rate limit would wait longer than "
                        + limits.maxQueueWait(), 429, true, null, null);
            }
            if (!concurrency.tryAcquire(deadline, TimeUnit.NANOSECONDS)) {
                throw new AiProviderException(provider + ": " + limits.maxConcurrency()
                        + " requests already in flight for longer than " + limits.maxQueueWait(), 429, true, null, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AiProviderException.unreachable(provider, e);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while honouring Retry-After", e);
        }
    }

    private Timer timer(String model, @Nullable String errorType) {
        Timer.Builder builder = Timer.builder("gen_ai.client.operation.duration")
                .description("GenAI operation duration")
                .tag("gen_ai.operation.name", operation)
                .tag("gen_ai.provider.name", provider)
                .tag("gen_ai.request.model", model)
                .tag("error.type", errorType == null ? "none" : errorType);
        return builder.register(registry);
    }

    private DistributionSummary tokens(String model, String type) {
        return DistributionSummary.builder("gen_ai.client.token.usage")
                .description("Tokens used per GenAI operation")
                .baseUnit("tokens")
                .tag("gen_ai.operation.name", operation)
                .tag("gen_ai.provider.name", provider)
                .tag("gen_ai.request.model", model)
                .tag("gen_ai.token.type", type)
                .register(registry);
    }
}
