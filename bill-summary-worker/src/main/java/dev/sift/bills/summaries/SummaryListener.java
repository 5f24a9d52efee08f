package dev.sift.bills.summaries;

/** What an engine reports while a round runs; called from the engine's threads. */
public interface SummaryListener {

    /** A generation request was created (background mode: so a restart can resume polling it). */
    default void created(String billId, String responseId, boolean hedge) {
    }

    /** The bill's round ended; called exactly once per bill. */
    void finished(BillOutcome outcome);

    SummaryListener NONE = outcome -> {
    };
}
