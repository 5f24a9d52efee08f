package dev.sift.report.dashboard;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where the topology sends finished daily snapshots. Called on a stream thread, so it must not block: it
 * returns at once and completes the stage when the snapshots are stored. It must be idempotent and keep the
 * snapshot with the highest {@link DailyAggregate#version()}, because after a crash or a failed write the
 * same snapshots (or older ones) are written again. A stage that fails leaves the days pending for the next
 * write interval.
 */
interface DailyAggregateWriter {

    CompletionStage<Void> write(List<DailyAggregate> snapshots);
}
