package dev.sift.bills.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * What hedging can achieve for one round of 50 bills under seed 002's latency model, by Monte Carlo rather than by
 * measurement: no HTTP, no Kafka, only the statistics of the round, the poll schedule and the hedge rule. It answers
 * "is ≤ 12 s with ≤ 10 % extra requests reachable at all, and with which rule?" before any engine is tuned, and
 * predicts the engine benchmark's seeds (the same random stream as {@code ResponsesApiStandIn}) for comparison.
 *
 * <p>The model: every original request starts at 0 (50 creates take a few milliseconds); its generation time is
 * seed 002's mixture (98 %: lognormal, median 3.5 s, σ 0.55; 2 %: uniform 20–40 s), drawn in creation order, hedges
 * drawn after the originals as the stand-in does. A completion is seen at the first poll after it; polls follow the
 * engine's rule. A hedge starts when the rule fires (plus {@code createSeconds}) with a fresh draw; a bill is done
 * at its first seen completion. Wall time = the last bill's seen completion (the pipeline's own latency — POST,
 * batcher, Kafka, read model — comes on top and is measured by the end-to-end benchmark).
 *
 * <p>Run by hand: {@code java bill-summary-worker/src/test/java/dev/sift/bills/benchmark/HedgingSimulation.java
 * [rounds=200000] [pipelineSeconds=0.6]} (no dependencies, so the JDK's source launcher runs it as it is).
 */
public final class HedgingSimulation {

    static final int BILLS = 50;

    /** When the next poll of a request comes. */
    interface PollRule {
        double interval(double age, int live, Random random);
    }

    /** The engine's rule before 2026-12-01: 15 % of the age within 0.2–1 s, ±20 %. */
    static PollRule byAge(double factor, double min, double max, double jitter) {
        return (age, live, random) -> jitter(Math.max(min, Math.min(max, factor * age)), jitter, random);
    }

    /**
     * Polls shared out by the round: all live requests together are polled about {@code perSecond} times a second,
     * never more often than every {@code min} nor less than every {@code max} seconds. Early, with 50 requests
     * live, each is polled rarely (nothing is due yet); late, the few that decide the wall time are polled often.
     */
    static PollRule shared(double perSecond, double min, double max, double jitter) {
        return (age, live, random) -> jitter(Math.max(min, Math.min(max, live / perSecond)), jitter, random);
    }

    static double jitter(double seconds, double jitter, Random random) {
        return seconds * (1 - jitter + 2 * jitter * random.nextDouble());
    }

    /** Which hedges to send; consulted after every poll. */
    interface HedgeRule {
        /**
         * @return how many of the running, unhedged bills to hedge now (the round picks them), given the time,
         *     the bills finished, those running unhedged and the credits left
         */
        int hedgesNow(double now, int finished, int runningUnhedged, int credits);

        /** True for rules decided at a request's own poll (the old engine) rather than for the round at once. */
        default boolean perRequest() {
            return false;
        }
    }

    /** The engine before 2026-12-01, cold: at its own poll a request older than 2 s is hedged once 95 % finished. */
    static HedgeRule roundQuantile(double quantile, double minDelay) {
        return new HedgeRule() {
            @Override
            public int hedgesNow(double now, int finished, int runningUnhedged, int credits) {
                return now >= minDelay && finished >= Math.floor(quantile * BILLS) ? 1 : 0;
            }

            @Override
            public boolean perRequest() {
                return true;
            }
        };
    }

    /** A fixed delay (a warm p95/p90 of earlier rounds), at the request's own poll. */
    static HedgeRule fixedDelay(double delay) {
        return new HedgeRule() {
            @Override
            public int hedgesNow(double now, int finished, int runningUnhedged, int credits) {
                return now >= delay ? 1 : 0;
            }

            @Override
            public boolean perRequest() {
                return true;
            }
        };
    }

    /**
     * The round's rule: as soon as the bills still running unhedged are no more than the credits left (and the
     * round is older than {@code minDelay}), hedge all of them; past {@code deadline} hedge as many as the
     * credits allow even if more are running.
     */
    static HedgeRule remainingWithinBudget(double minDelay, double deadline) {
        return (now, finished, running, credits) -> {
            if (now < minDelay || credits == 0 || running == 0) {
                return 0;
            }
            if (running <= credits || now >= deadline) {
                return Math.min(running, credits);
            }
            return 0;
        };
    }

    /**
     * Hedge {@code min(running, credits)} bills (picked arbitrarily: they are alike) once at most {@code trigger}
     * bills are still running unhedged; {@code trigger} above the credits hedges earlier but leaves some running
     * bills without a duplicate.
     */
    static HedgeRule remainingAtMost(int trigger) {
        return (now, finished, running, credits) -> credits > 0 && running > 0 && running <= trigger
                ? Math.min(running, credits) : 0;
    }

    record Result(double wall, int hedges, int polls) {
    }

    /** One round with at most one duplicate per bill. */
    static Result round(Random latencies, Random noise, PollRule polls, HedgeRule hedges, int credits,
            double createSeconds) {
        return round(latencies, noise, polls, hedges, credits, createSeconds, 0, Double.POSITIVE_INFINITY);
    }

    /**
     * One round. {@code latencies} draws generation times in creation order. The round rule hedges a bill once;
     * {@code reserve} credits are kept back from it for a second duplicate of a bill whose youngest request has run
     * {@code rehedgeAfter} seconds (both its requests slow: the case that leaves a hedged round at 20–40 s).
     */
    static Result round(Random latencies, Random noise, PollRule polls, HedgeRule hedges, int credits,
            double createSeconds, int reserve, double rehedgeAfter) {
        double[][] start = new double[BILLS][3];
        double[][] done = new double[BILLS][3];
        int[] requests = new int[BILLS];
        for (int i = 0; i < BILLS; i++) {
            done[i][0] = draw(latencies);
            requests[i] = 1;
        }
        double[] finishedAt = new double[BILLS];
        Arrays.fill(finishedAt, Double.NaN);
        // Events: {time, bill, which request}.
        PriorityQueue<double[]> queue = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        for (int i = 0; i < BILLS; i++) {
            queue.add(new double[] {polls.interval(0, BILLS, noise), i, 0});
        }
        int finished = 0;
        int left = credits;
        int used = 0;
        int pollCount = 0;
        double last = 0;
        while (finished < BILLS) {
            double[] event = queue.poll();
            double now = event[0];
            int bill = (int) event[1];
            int request = (int) event[2];
            if (!Double.isNaN(finishedAt[bill])) {
                continue;
            }
            pollCount++;
            if (now >= done[bill][request]) {
                finishedAt[bill] = now;
                finished++;
                last = now;
            } else {
                queue.add(new double[] {now + polls.interval(now - start[bill][request], live(finishedAt, requests),
                        noise), bill, request});
            }
            int running = 0;
            for (int i = 0; i < BILLS; i++) {
                if (Double.isNaN(finishedAt[i]) && requests[i] == 1) {
                    running++;
                }
            }
            int roundCredits = Math.max(0, left - reserve);
            int wanted;
            if (hedges.perRequest()) {
                wanted = request == 0 && Double.isNaN(finishedAt[bill]) && requests[bill] == 1 && roundCredits > 0
                        && hedges.hedgesNow(now, finished, running, roundCredits) > 0 ? 1 : 0;
            } else {
                wanted = hedges.hedgesNow(now, finished, running, roundCredits);
            }
            for (int i = 0; i < BILLS && wanted > 0; i++) {
                int candidate = hedges.perRequest() ? bill : i;
                if (Double.isNaN(finishedAt[candidate]) && requests[candidate] == 1) {
                    add(candidate, now + createSeconds, start, done, requests, latencies, queue, polls, finishedAt,
                            noise);
                    wanted--;
                    left--;
                    used++;
                }
                if (hedges.perRequest()) {
                    break;
                }
            }
            // A second duplicate: only for a bill already hedged whose youngest request is old.
            if (left > 0 && reserve > 0 && Double.isNaN(finishedAt[bill]) && requests[bill] == 2
                    && now - start[bill][1] >= rehedgeAfter) {
                add(bill, now + createSeconds, start, done, requests, latencies, queue, polls, finishedAt, noise);
                left--;
                used++;
            }
        }
        return new Result(last, used, pollCount);
    }

    private static void add(int bill, double at, double[][] start, double[][] done, int[] requests, Random latencies,
            PriorityQueue<double[]> queue, PollRule polls, double[] finishedAt, Random noise) {
        int request = requests[bill]++;
        start[bill][request] = at;
        done[bill][request] = at + draw(latencies);
        queue.add(new double[] {at + polls.interval(0, live(finishedAt, requests), noise), bill, request});
    }

    private static int live(double[] finishedAt, int[] requests) {
        int live = 0;
        for (int i = 0; i < finishedAt.length; i++) {
            if (Double.isNaN(finishedAt[i])) {
                live += requests[i];
            }
        }
        return live;
    }

    /**
     * A bound no rule can beat with the same budget: the {@code credits} slowest bills known in advance and hedged at
     * 0, every completion seen at once. Not reachable (nothing tells the slow ones apart before they are late); it
     * shows how much of the wall time is the latency model itself.
     */
    static Result clairvoyant(Random latencies, int credits) {
        double[] originals = new double[BILLS];
        for (int i = 0; i < BILLS; i++) {
            originals[i] = draw(latencies);
        }
        Integer[] order = new Integer[BILLS];
        for (int i = 0; i < BILLS; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(originals[b], originals[a]));
        double wall = 0;
        for (int rank = 0; rank < BILLS; rank++) {
            double done = originals[order[rank]];
            if (rank < credits) {
                done = Math.min(done, draw(latencies));
            }
            wall = Math.max(wall, done);
        }
        return new Result(wall, credits, 0);
    }

    /** Seed 002's mixture, drawn exactly as {@code ResponsesApiStandIn.LatencyModel.seed002} draws it. */
    static double draw(Random random) {
        return random.nextDouble() < 0.02 ? 20 + 20 * random.nextDouble() : 3.5 * Math.exp(0.55 * random.nextGaussian());
    }

    /** The stand-in's random source for a benchmark seed. */
    static Random standInRandom(long seed) {
        return new Random(new SplittableRandom(seed).nextLong());
    }

    record Strategy(String name, PollRule polls, HedgeRule hedges, int credits, int reserve, double rehedgeAfter) {
        Strategy(String name, PollRule polls, HedgeRule hedges, int credits) {
            this(name, polls, hedges, credits, 0, Double.POSITIVE_INFINITY);
        }

        Result round(Random latencies, Random noise) {
            if (polls == null) {
                return clairvoyant(latencies, credits);
            }
            return HedgingSimulation.round(latencies, noise, polls, hedges, credits, 0.01, reserve, rehedgeAfter);
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        // The pipeline's own latency around the engine (first POST → first request, last stored → visible), from
        // BillPipelineBenchmark on a quiet machine: for the "end to end" column.
        double pipeline = args.length > 1 ? Double.parseDouble(args[1]) : 0.6;
        PollRule oldPolls = byAge(0.15, 0.2, 1.0, 0.2);
        // The engine's defaults since 2026-12-01: 25 polls a second per round, 0.1–1 s apart.
        PollRule sharedPolls = shared(25, 0.1, 1.0, 0.2);
        HedgeRule none = remainingWithinBudget(0, 0);
        HedgeRule remaining = remainingWithinBudget(2, Double.POSITIVE_INFINITY);
        List<Strategy> strategies = new ArrayList<>();
        strategies.add(new Strategy("(b) no hedging, old polls", oldPolls, none, 0));
        strategies.add(new Strategy("(b) no hedging, shared polls 25/s", sharedPolls, none, 0));
        strategies.add(new Strategy("old: p95 round rule, cold, old polls", oldPolls, roundQuantile(0.95, 2), 5));
        strategies.add(new Strategy("old: p90 round rule, cold, old polls", oldPolls, roundQuantile(0.90, 2), 5));
        strategies.add(new Strategy("old: warm p95 delay 8.6 s, old polls", oldPolls, fixedDelay(8.6), 5));
        strategies.add(new Strategy("old: warm p90 delay 6.8 s, old polls", oldPolls, fixedDelay(6.8), 5));
        strategies.add(new Strategy("remaining ≤ credits, old polls", oldPolls, remaining, 5));
        strategies.add(new Strategy("**remaining ≤ credits, shared polls 25/s (the engine now)**", sharedPolls,
                remaining, 5));
        for (double rate : new double[] {10, 50, 100}) {
            strategies.add(new Strategy("remaining ≤ credits, shared polls " + (int) rate + "/s",
                    shared(rate, 0.1, 1.0, 0.2), remaining, 5));
        }
        strategies.add(new Strategy("remaining ≤ credits, shared polls 100/s within 0.02–1 s", shared(100, 0.02, 1.0,
                0.2), remaining, 5));
        for (int trigger : new int[] {6, 7, 8}) {
            strategies.add(new Strategy("≤ " + trigger + " running: hedge 5 of them, shared polls", sharedPolls,
                    remainingAtMost(trigger), 5));
        }
        for (double deadline : new double[] {10, 9, 8}) {
            strategies.add(new Strategy("remaining ≤ credits or age ≥ " + deadline + " s, shared polls", sharedPolls,
                    remainingWithinBudget(2, deadline), 5));
        }
        for (double after : new double[] {5, 6, 7, 8, 10}) {
            strategies.add(new Strategy("remaining ≤ 4, 1 credit kept for a 2nd duplicate after " + after + " s",
                    sharedPolls, remaining, 5, 1, after));
        }
        strategies.add(new Strategy("remaining ≤ 3, 2 credits kept for 2nd duplicates after 6 s", sharedPolls,
                remaining, 5, 2, 6));
        // What a bigger budget would buy: how much the wall time owes to the 10 % rule.
        for (int credits : new int[] {6, 7, 8, 10, 15}) {
            strategies.add(new Strategy("remaining ≤ credits, " + credits + " credits (" + 2 * credits + " %)",
                    sharedPolls, remaining, credits));
        }
        strategies.add(new Strategy("bound: the 5 slowest known in advance, hedged at 0", null, null, 5));
        System.out.printf(Locale.ROOT, "%d simulated rounds of %d bills per strategy; wall = last summary seen by the "
                + "engine; end to end = wall + %.1f s of pipeline%n%n", rounds, BILLS, pipeline);
        System.out.println("| strategy | mean s | median | p90 | p99 | share ≤ 12 s | end to end: mean | end to end: "
                + "share ≤ 12 s | hedges/round | polls/round |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Strategy strategy : strategies) {
            double[] walls = new double[rounds];
            long hedges = 0;
            long polls = 0;
            Random latencies = new Random(42);
            Random noise = new Random(7);
            for (int r = 0; r < rounds; r++) {
                Result result = strategy.round(latencies, noise);
                walls[r] = result.wall();
                hedges += result.hedges();
                polls += result.polls();
            }
            Arrays.sort(walls);
            double mean = Arrays.stream(walls).average().orElse(0);
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.1f %% | %.2f | %.1f %% | %.2f | %.0f |%n",
                    strategy.name(), mean, walls[rounds / 2], walls[(int) (rounds * 0.9)],
                    walls[(int) (rounds * 0.99)], 100.0 * share(walls, 12), mean + pipeline,
                    100.0 * share(walls, 12 - pipeline), (double) hedges / rounds, (double) polls / rounds);
        }
        System.out.println();
        System.out.println("The benchmark's seeds 1–10 (the stand-in's random stream), engine-only wall time in s:");
        for (Strategy strategy : List.of(strategies.get(0), strategies.get(1), strategies.get(2), strategies.get(7))) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-44s", strategy.name()));
            double sum = 0;
            for (long seed = 1; seed <= 10; seed++) {
                Result result = strategy.round(standInRandom(seed), new Random(seed));
                line.append(String.format(Locale.ROOT, " %5.1f", result.wall()));
                sum += result.wall();
            }
            System.out.println(line + String.format(Locale.ROOT, "   mean %.1f", sum / 10));
        }
    }

    static double share(double[] sorted, double limit) {
        int count = 0;
        for (double value : sorted) {
            if (value <= limit) {
                count++;
            }
        }
        return (double) count / sorted.length;
    }
}
