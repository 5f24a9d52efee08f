package dev.sift.bills.summaries;

import java.util.List;

/** Summarises a round of bills in one mode. */
public interface SummaryEngine {

    /** Blocks until every bill has an outcome, reported through {@code listener} as each one ends. */
    void summarize(List<BillTask> bills, SummaryListener listener);

    /** The model summaries are asked of (or the extractive method's name). */
    String model();
}
