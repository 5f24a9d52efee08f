package dev.sift.bills.summaries;

import dev.sift.ai.AiProviderException;
import dev.sift.ai.ResponseStatus;
import dev.sift.ai.ResponsesClient;
import dev.sift.ai.ResponsesClient.ResponseState;
import dev.sift.bills.BillSummaryProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sync} mode: one synchronous request per bill, at most {@code sync.concurrency} in flight (hedges
 * included), hedged like background mode: once the bills still without a result or a duplicate are no more than
 * the hedge credits, each running one gets a duplicate (within {@code CHECK} of that moment). The provider cancels only background responses, so a losing synchronous
 * request is abandoned (its connection closed); the provider may still finish and bill it.
 */
public final class SyncEngine implements SummaryEngine, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);
    private static final Duration CHECK = Duration.ofMillis(25);

    private final ResponsesClient client;
    private final BillSummaryProperties settings;
    private final HedgePolicy hedges;
    private final SummaryMetrics metrics;
    private final ExecutorService requests;

    public SyncEngine(ResponsesClient client, BillSummaryProperties settings, HedgePolicy hedges,
            SummaryMetrics metrics) {
        this.client = client;
        this.settings = settings;
        this.hedges = hedges;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.requests = Executors.newFixedThreadPool(settings.sync().concurrency(),
                r -> Thread.ofPlatform().name("bill-sync-" + n.incrementAndGet()).daemon().unstarted(r));
    }

    @Override
    public String model() {
        return client.model();
    }

    @Override
    public void summarize(List<BillTask> bills, SummaryListener listener) {
        CountDownLatch done = new CountDownLatch(bills.size());
        // Bills without an outcome whose current attempt has no duplicate: the round's tail (HedgePolicy).
        AtomicInteger unhedged = new AtomicInteger(bills.size());
        HedgePolicy.Budget budget = hedges.round();
        List<Thread> threads = new ArrayList<>();
        for (BillTask task : bills) {
            threads.add(Thread.ofVirtual().start(() -> {
                BillOutcome outcome;
                AtomicBoolean hedged = new AtomicBoolean();
                try {
                    outcome = summarizeOne(task, budget, unhedged, hedged);
                } catch (RuntimeException e) {
                    outcome = new BillOutcome(task.billId(), BillOutcome.Kind.RETRYABLE_FAILURE, null, model(), 0, 0,
                            task.attemptsSoFar(), e.toString());
                }
                if (!hedged.get()) {
                    unhedged.decrementAndGet();
                }
                try {
                    listener.finished(outcome);
                } finally {
                    done.countDown();
                }
            }));
        }
        try {
            if (!done.await(settings.roundTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                threads.forEach(Thread::interrupt);
                done.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            budget.close();
        }
    }

    /** A request running in the pool, with the time it actually started (queued time is not latency). */
    private record Running(Future<ResponseState> future, AtomicLong startedAt, boolean hedge) {
    }

    /**
     * @param budget the round's hedge credits
     * @param unhedged the round's bills without an outcome and without a duplicate, kept up to date here
     * @param hedged whether this bill's current attempt has a duplicate
     */
    private BillOutcome summarizeOne(BillTask task, HedgePolicy.Budget budget, AtomicInteger unhedged,
            AtomicBoolean hedged) {
        int attempts = 0;
        long inputTokens = 0;
        long outputTokens = 0;
        @Nullable String failure = null;
        while (attempts < settings.maxAttempts()) {
            attempts++;
            if (attempts == 1) {
                budget.earn(1);
            }
            if (hedged.getAndSet(false)) {
                unhedged.incrementAndGet();
            }
            List<Running> running = new ArrayList<>(List.of(submit(task, false, attempts > 1)));
            boolean httpError = false;
            while (!running.isEmpty()) {
                Running original = running.getFirst();
                for (Running request : List.copyOf(running)) {
                    if (!request.future().isDone()) {
                        continue;
                    }
                    running.remove(request);
                    ResponseState state;
                    try {
                        state = request.future().get();
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof AiProviderException provider) {
                            if (!provider.retryable()) {
                                running.forEach(r -> r.future().cancel(true));
                                return new BillOutcome(task.billId(), BillOutcome.Kind.PERMANENT_FAILURE, null,
                                        model(), inputTokens, outputTokens, task.attemptsSoFar() + attempts,
                                        provider.getMessage());
                            }
                            httpError = true;
                            failure = provider.getMessage();
                            continue;
                        }
                        throw new IllegalStateException(e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        running.forEach(r -> r.future().cancel(true));
                        return new BillOutcome(task.billId(), BillOutcome.Kind.RETRYABLE_FAILURE, null, model(),
                                inputTokens, outputTokens, task.attemptsSoFar() + attempts, "interrupted");
                    }
                    inputTokens += state.inputTokens();
                    outputTokens += state.outputTokens();
                    if (state.status() == ResponseStatus.COMPLETED && !state.text().isBlank()) {
                        // The loser cannot be cancelled at the provider (synchronous): close its connection.
                        running.forEach(r -> {
                            r.future().cancel(true);
                            metrics.cancel();
                        });
                        if (request.hedge()) {
                            metrics.hedgeWon();
                        }
                        return new BillOutcome(task.billId(), BillOutcome.Kind.COMPLETED, state.text(), state.model(),
                                inputTokens, outputTokens, task.attemptsSoFar() + attempts, null);
                    }
                    failure = state.status().wire() + (state.failure() == null ? "" : ": " + state.failure());
                }
                if (running.isEmpty()) {
                    break;
                }
                long started = original.startedAt().get();
                if (!hedged.get() && running.size() == 1 && running.getFirst() == original && started > 0
                        && hedges.oldEnough(Duration.ofNanos(System.nanoTime() - started))
                        && budget.tailReached(unhedged.get()) && budget.trySpend()) {
                    hedged.set(true);
                    unhedged.decrementAndGet();
                    running.add(submit(task, true, false));
                }
                try {
                    Thread.sleep(CHECK);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running.forEach(r -> r.future().cancel(true));
                    return new BillOutcome(task.billId(), BillOutcome.Kind.RETRYABLE_FAILURE, null, model(),
                            inputTokens, outputTokens, task.attemptsSoFar() + attempts, "interrupted");
                }
            }
            if (httpError && attempts < settings.maxAttempts()) {
                sleepQuietly(Duration.ofMillis(500L * attempts));
            }
        }
        log.debug("Bill {} failed {} times: {}", task.billId(), attempts, failure);
        return new BillOutcome(task.billId(), BillOutcome.Kind.RETRYABLE_FAILURE, null, model(), inputTokens,
                outputTokens, task.attemptsSoFar() + attempts, failure);
    }

    private Running submit(BillTask task, boolean hedge, boolean retry) {
        metrics.request(hedge, retry);
        AtomicLong startedAt = new AtomicLong();
        Future<ResponseState> future = requests.submit(() -> {
            startedAt.set(System.nanoTime());
            return client.create(SummaryPrompt.of(task.bill(), settings.maxOutputTokens()), false);
        });
        return new Running(future, startedAt, hedge);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        requests.shutdownNow();
    }
}
