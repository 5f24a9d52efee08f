package dev.sift.bills.summaries;

import dev.sift.bills.BillSummaryProperties;
import java.time.Duration;

/**
 * When to send a duplicate of a slow request, and how many duplicates are allowed.
 *
 * <p>The rule is the round's, not a delay per request: <em>as soon as the bills of a round still running without a
 * duplicate are no more than the hedge credits, each of them gets one</em> (once its request is older than
 * {@code minDelay}). A round's requests start together and nothing tells a slow one from a fast one until it
 * finishes, so any duplicate sent while more bills run than there are credits goes to a bill picked blindly, and a
 * bill left without one may be the 20–40 s outlier. With seed 002's lognormal latencies the hazard falls with age:
 * the longer a request has run, the longer it is likely to run on, so the bills still running when only as many
 * remain as there are credits are the ones worth a fresh draw. For 50 bills and 10 % that is the moment the 45th
 * finished (~7 s). {@code HedgingSimulation} compares this with the delay rules it replaced (a p95/p90 of
 * earlier rounds, or "95 % of the round finished"): 12.4 s mean against 13.4–15.9 s, same budget.
 *
 * <p>Budget: every original request earns {@code budgetRatio} hedge credits (at most {@code budgetBurst} saved up);
 * a hedge spends one. With 0.10, duplicates never exceed 10 % of requests.
 */
public final class HedgePolicy {

    private final BillSummaryProperties.Hedge settings;
    private double credits;

    public HedgePolicy(BillSummaryProperties.Hedge settings) {
        this.settings = settings;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Whether the round's tail is reached: {@code runningUnhedged} bills (not finished, no duplicate yet) are no
     * more than the whole credits now saved.
     */
    public synchronized boolean tailReached(int runningUnhedged) {
        return settings.enabled() && runningUnhedged > 0 && runningUnhedged <= wholeCredits();
    }

    /** Whether a request this old may be hedged at all: younger than the floor, a duplicate is only a double cost. */
    public boolean oldEnough(Duration age) {
        return age.compareTo(settings.minDelay()) >= 0;
    }

    /** {@code requests} original requests were sent: they earn hedge credits. */
    public synchronized void earn(int requests) {
        credits = Math.min(settings.budgetBurst(), credits + requests * settings.budgetRatio());
    }

    /** Takes one hedge credit if there is one. */
    public synchronized boolean trySpend() {
        if (wholeCredits() >= 1) {
            credits -= 1;
            return true;
        }
        return false;
    }

    private int wholeCredits() {
        // Credits are sums of tenths: a tolerance so that ten 0.1s make one credit.
        return (int) Math.floor(credits + 1e-9);
    }
}
