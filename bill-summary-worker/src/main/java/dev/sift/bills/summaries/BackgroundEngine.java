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
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code background} mode, seed 002's design with the tail attacked: every bill's response is created with
 * {@code background: true}; creates, polls and cancels are actions in one queue ordered by due time (FIFO among
 * due actions) served by a bounded pool of workers. A worker never waits for a response: it polls once and puts
 * the poll back with a later due time, so an outlier costs a few polls and holds no worker. The round's live
 * requests share a poll rate (jittered): while all run, each is polled about once a second; the last few, which
 * decide the wall time, several times a second. Once the bills still running without a duplicate are no more than
 * the hedge credits, each gets one at once ({@link HedgePolicy}); the first completion wins and the other is
 * cancelled. {@code failed} and {@code incomplete} are re-requested up to {@code maxAttempts}; then the bill fails
 * retryably.
 *
 * <p>As in seed 002 the workers take actions with {@code take()} and stop on a poison pill once every bill of
 * the round has its outcome.
 */
public final class BackgroundEngine implements SummaryEngine {

    private static final Logger log = LoggerFactory.getLogger(BackgroundEngine.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ResponsesClient client;
    private final BillSummaryProperties settings;
    private final HedgePolicy hedges;
    private final SummaryMetrics metrics;

    public BackgroundEngine(ResponsesClient client, BillSummaryProperties settings, HedgePolicy hedges,
            SummaryMetrics metrics) {
        this.client = client;
        this.settings = settings;
        this.hedges = hedges;
        this.metrics = metrics;
    }

    @Override
    public String model() {
        return client.model();
    }

    @Override
    public void summarize(List<BillTask> bills, SummaryListener listener) {
        if (bills.isEmpty()) {
            return;
        }
        Round round = new Round(bills.size(), listener, hedges.round());
        List<Work> works = bills.stream().map(task -> new Work(task, round)).toList();
        round.works.addAll(works);
        for (Work work : works) {
            round.queue.add(new Action(0, () -> create(work, false)));
        }
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < settings.poll().workers(); i++) {
            workers.add(Thread.ofPlatform().name("bill-poll-" + i).daemon().start(() -> runWorker(round)));
        }
        try {
            if (!round.done.await(settings.roundTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Round of {} bills timed out after {}; unfinished bills fail retryably", bills.size(),
                        settings.roundTimeout());
                works.forEach(work -> work.fail(BillOutcome.Kind.RETRYABLE_FAILURE, "round timed out"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            works.forEach(work -> work.fail(BillOutcome.Kind.RETRYABLE_FAILURE, "interrupted"));
        } finally {
            // Unspent credits go back (kept only up to hedge.carry-over); hedges queued but not yet sent find the
            // bill finished or the round over and send nothing.
            round.budget.close();
            // Poison pills after every action already due (cancels of losers included), then wait for the workers.
            for (int i = 0; i < workers.size(); i++) {
                round.queue.add(Action.POISON_PILL.get());
            }
            for (Thread worker : workers) {
                try {
                    worker.join(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void runWorker(Round round) {
        while (true) {
            Action action;
            try {
                action = round.queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (action.poison) {
                return;
            }
            try {
                action.run.run();
            } catch (RuntimeException e) {
                log.warn("Unexpected failure in a poll worker", e);
            }
        }
    }

    private void create(Work work, boolean hedge) {
        if (work.isFinished()) {
            return;
        }
        String resume = hedge ? null : work.takeResumeId();
        if (resume != null) {
            Request request = work.started(resume, false, System.nanoTime());
            poll(work, request);
            return;
        }
        boolean retry = !hedge && work.attempts > 0;
        if (!hedge) {
            work.attempts++;
            if (!retry) {
                work.round.budget.earn(1);
            }
        }
        metrics.request(hedge, retry);
        long start = System.nanoTime();
        ResponseState state;
        try {
            state = client.create(SummaryPrompt.of(work.task.bill(), settings.maxOutputTokens()), true);
        } catch (AiProviderException e) {
            if (hedge) {
                // The original keeps running; the credit stays spent (a request was sent).
                return;
            }
            if (!e.retryable()) {
                work.fail(BillOutcome.Kind.PERMANENT_FAILURE, e.getMessage());
                return;
            }
            retryOrFail(work, e.getMessage(), true, e.retryAfter());
            return;
        }
        Request request = work.started(state.id(), hedge, start);
        work.round.listener.created(work.task.billId(), state.id(), hedge);
        if (state.status().terminal()) {
            onTerminal(work, request, state);
        } else {
            schedulePoll(work, request);
        }
    }

    private void poll(Work work, Request request) {
        if (work.isFinished() || !work.isLive(request)) {
            return;
        }
        metrics.poll();
        ResponseState state;
        try {
            state = client.retrieve(request.responseId);
        } catch (AiProviderException e) {
            if (e.retryable()) {
                schedulePoll(work, request);
            } else {
                // 404: the response expired or never existed (a stale resume id): this attempt is lost.
                onTerminal(work, request, new ResponseState(request.responseId, ResponseStatus.FAILED, "", model(), 0,
                        0, e.getMessage()));
            }
            return;
        }
        if (state.status().terminal()) {
            onTerminal(work, request, state);
        } else {
            schedulePoll(work, request);
        }
        hedgeTail(work.round);
    }

    /**
     * The round's hedges: once the bills still running without a duplicate are no more than the credits, each of
     * them whose request is old enough gets one now, not at its next poll. Checked after every poll, so the check
     * runs within a poll interval of the completion that reached the tail.
     */
    private void hedgeTail(Round round) {
        if (!hedges.enabled()) {
            return;
        }
        synchronized (round) {
            List<Work> unhedged = round.works.stream().filter(Work::runningUnhedged).toList();
            if (!round.budget.tailReached(unhedged.size())) {
                return;
            }
            long now = System.nanoTime();
            for (Work work : unhedged) {
                if (work.tryHedge(now)) {
                    round.queue.add(new Action(0, () -> create(work, true)));
                }
            }
        }
    }

    private void onTerminal(Work work, Request request, ResponseState state) {
        work.account(state);
        if (state.status() == ResponseStatus.COMPLETED && !state.text().isBlank()) {
            if (work.complete(request, state) && request.hedge) {
                metrics.hedgeWon();
            }
            return;
        }
        boolean othersRunning = work.ended(request);
        if (othersRunning || work.isFinished()) {
            return;
        }
        retryOrFail(work, state.status().wire() + (state.failure() == null ? "" : ": " + state.failure()), false, null);
    }

    private void retryOrFail(Work work, @Nullable String failure, boolean httpError, @Nullable Duration retryAfter) {
        work.lastFailure = failure;
        if (work.attempts >= settings.maxAttempts()) {
            work.fail(BillOutcome.Kind.RETRYABLE_FAILURE, failure);
            return;
        }
        // failed/incomplete: again at once; an HTTP error: after Retry-After or a short jittered backoff.
        long delay = retryAfter != null ? retryAfter.toNanos()
                : httpError ? jittered(Duration.ofMillis(500L * work.attempts).toNanos()) : 0;
        work.round.queue.add(new Action(delay, () -> create(work, false)));
    }

    private void cancel(Request loser) {
        metrics.cancel();
        try {
            client.cancel(loser.responseId);
        } catch (AiProviderException e) {
            log.debug("Cancelling {} failed (it may have finished): {}", loser.responseId, e.getMessage());
        }
    }

    private void schedulePoll(Work work, Request request) {
        BillSummaryProperties.Poll poll = settings.poll();
        long interval = (long) (work.round.liveRequests() / poll.rate() * 1e9);
        interval = Math.max(poll.minInterval().toNanos(), Math.min(poll.maxInterval().toNanos(), interval));
        work.round.queue.add(new Action(jittered(interval), () -> poll(work, request)));
    }

    private long jittered(long nanos) {
        double jitter = settings.poll().jitter();
        return (long) (nanos * (1 - jitter + 2 * jitter * ThreadLocalRandom.current().nextDouble()));
    }

    /** One request for a bill: the original or its hedge. */
    private record Request(String responseId, boolean hedge, long createdAtNanos) {
    }

    /** The bills of one {@link #summarize} call. */
    private static final class Round {
        final SummaryListener listener;
        final DelayQueue<Action> queue = new DelayQueue<>();
        final List<Work> works = new ArrayList<>();
        final HedgePolicy.Budget budget;
        final CountDownLatch done;

        Round(int total, SummaryListener listener, HedgePolicy.Budget budget) {
            this.listener = listener;
            this.budget = budget;
            this.done = new CountDownLatch(total);
        }

        /** Requests of the round still running: originals and hedges of bills without an outcome. */
        int liveRequests() {
            int live = 0;
            for (Work work : works) {
                live += work.liveCount();
            }
            return live;
        }
    }

    /** One bill's state in a round; every change under its lock. */
    private final class Work {
        final BillTask task;
        final Round round;
        final long startNanos = System.nanoTime();
        final List<Request> live = new ArrayList<>();
        @Nullable String resumeId;
        int attempts;
        boolean hedged;
        boolean finished;
        long inputTokens;
        long outputTokens;
        @Nullable String lastFailure;

        Work(BillTask task, Round round) {
            this.task = task;
            this.round = round;
            this.resumeId = task.resumeResponseId();
        }

        synchronized @Nullable String takeResumeId() {
            String id = resumeId;
            resumeId = null;
            if (id != null) {
                attempts++;
            }
            return id;
        }

        synchronized Request started(String responseId, boolean hedge, long createdAtNanos) {
            Request request = new Request(responseId, hedge, createdAtNanos);
            live.add(request);
            return request;
        }

        synchronized boolean isFinished() {
            return finished;
        }

        synchronized boolean isLive(Request request) {
            return live.contains(request);
        }

        synchronized int liveCount() {
            return finished ? 0 : live.size();
        }

        /** Not finished, and its current attempt has no duplicate (also while it waits to be re-requested). */
        synchronized boolean runningUnhedged() {
            return !finished && !hedged;
        }

        /**
         * One hedge per attempt of the bill, if its request has run long enough and the budget has a credit. The
         * duplicate is marked at once, so the tail check cannot send a second one before it is created.
         */
        synchronized boolean tryHedge(long nowNanos) {
            if (hedged || finished || live.size() != 1 || live.getFirst().hedge
                    || !hedges.oldEnough(Duration.ofNanos(nowNanos - live.getFirst().createdAtNanos))
                    || !round.budget.trySpend()) {
                return false;
            }
            hedged = true;
            return true;
        }

        synchronized void account(ResponseState state) {
            inputTokens += state.inputTokens();
            outputTokens += state.outputTokens();
        }

        /** The winner: the other request is cancelled, before the round can end. False if already finished. */
        synchronized boolean complete(Request winner, ResponseState state) {
            if (finished) {
                return false;
            }
            for (Request loser : live) {
                if (!loser.equals(winner)) {
                    round.queue.add(new Action(0, () -> cancel(loser)));
                }
            }
            live.clear();
            finish(new BillOutcome(task.billId(), BillOutcome.Kind.COMPLETED, state.text(), state.model(),
                    inputTokens, outputTokens, task.attemptsSoFar() + attempts, null));
            return true;
        }

        /** A request ended without a summary; whether another request of the bill is still running. */
        synchronized boolean ended(Request request) {
            live.remove(request);
            if (live.isEmpty()) {
                hedged = false;
                return false;
            }
            return true;
        }

        synchronized void fail(BillOutcome.Kind kind, @Nullable String failure) {
            if (finished) {
                return;
            }
            List<Request> losers = List.copyOf(live);
            live.clear();
            for (Request loser : losers) {
                round.queue.add(new Action(0, () -> cancel(loser)));
            }
            finish(new BillOutcome(task.billId(), kind, null, model(), inputTokens, outputTokens,
                    task.attemptsSoFar() + attempts, failure != null ? failure : lastFailure));
        }

        private void finish(BillOutcome outcome) {
            finished = true;
            metrics.latency(Duration.ofNanos(System.nanoTime() - startNanos));
            try {
                round.listener.finished(outcome);
            } catch (RuntimeException e) {
                log.warn("Listener failed for bill {}", outcome.billId(), e);
            } finally {
                round.done.countDown();
            }
        }
    }

    /** A queued action, due at a time; ties in due time keep their insertion order (FIFO). */
    private static final class Action implements Delayed {
        static final java.util.function.Supplier<Action> POISON_PILL = () -> new Action(0, null);

        final long dueNanos;
        final long sequence = SEQUENCE.incrementAndGet();
        final Runnable run;
        final boolean poison;

        Action(long delayNanos, @Nullable Runnable run) {
            this.dueNanos = System.nanoTime() + delayNanos;
            this.run = run == null ? () -> { } : run;
            this.poison = run == null;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Action that = (Action) other;
            int byDue = Long.compare(dueNanos, that.dueNanos);
            return byDue != 0 ? byDue : Long.compare(sequence, that.sequence);
        }
    }
}
