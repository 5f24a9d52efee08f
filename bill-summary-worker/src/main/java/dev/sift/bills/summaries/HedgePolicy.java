package dev.sift.bills.summaries;

import dev.sift.bills.BillSummaryProperties;
import java.time.Duration;

/**
 * When to send a duplicate of a slow request, and how many duplicates a round may send.
 *
 * <p>The rule is the round's, not a delay per request: <em>as soon as the bills of a round still running without a
 * duplicate are no more than the round's hedge credits, each of them gets one</em> (once its request is older than
 * {@code minDelay}). A round's requests start together and nothing tells a slow one from a fast one until it
 * finishes, so any duplicate sent while more bills run than there are credits goes to a bill picked blindly, and a
 * bill left without one may be the 20–40 s outlier. With seed 002's lognormal latencies the hazard falls with age:
 * the longer a request has run, the longer it is likely to run on, so the bills still running when only as many
 * remain as there are credits are the ones worth a fresh draw. For 50 bills and 10 % that is the moment the 45th
 * finished (~7 s). {@code HedgingSimulation} compares this with the delay rules it replaced (a p95/p90 of
 * earlier rounds, or "95 % of the round finished"): 12.4 s mean against 13.4–15.9 s, same budget.
 *
 * <p>Budget: every original request of a round earns {@code budgetRatio} credits for that round, a hedge spends
 * one; so a round's duplicates never exceed 10 % of its own original requests. Credits a round did not spend are
 * kept for later rounds only up to {@code carryOver} (default 0: strictly 10 % per round; above 0 a round of a few
 * bills can hedge with credits a larger round left, and the worker stays within 10 % over all rounds).
 */
public final class HedgePolicy {

    private final BillSummaryProperties.Hedge settings;
    private double saved;

    public HedgePolicy(BillSummaryProperties.Hedge settings) {
        this.settings = settings;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** Whether a request this old may be hedged at all: younger than the floor, a duplicate is only a double cost. */
    public boolean oldEnough(Duration age) {
        return age.compareTo(settings.minDelay()) >= 0;
    }

    /** The budget of a round that starts now, with what earlier rounds carried over. */
    public synchronized Budget round() {
        double carried = saved;
        saved = 0;
        return new Budget(carried);
    }

    private synchronized void giveBack(double credits) {
        saved = Math.min(settings.carryOver(), saved + credits);
    }

    /** One round's hedge credits; {@link #close} hands what is left back to the policy. */
    public final class Budget implements AutoCloseable {

        private double credits;
        private boolean closed;

        private Budget(double carried) {
            this.credits = carried;
        }

        /** {@code requests} original requests were sent: they earn hedge credits. */
        public synchronized void earn(int requests) {
            credits += requests * settings.budgetRatio();
        }

        /**
         * Whether the round's tail is reached: {@code runningUnhedged} bills (no outcome, no duplicate yet) are no
         * more than the whole credits left.
         */
        public synchronized boolean tailReached(int runningUnhedged) {
            return settings.enabled() && runningUnhedged > 0 && runningUnhedged <= wholeCredits();
        }

        /** Takes one hedge credit if there is one. */
        public synchronized boolean trySpend() {
            if (settings.enabled() && wholeCredits() >= 1) {
                credits -= 1;
                return true;
            }
            return false;
        }

        @Override
        public void close() {
            double left;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                left = credits;
                credits = 0;
            }
            giveBack(left);
        }

        private int wholeCredits() {
            // Credits are sums of tenths: a tolerance so that ten 0.1s make one credit.
            return (int) Math.floor(credits + 1e-9);
        }
    }
}
