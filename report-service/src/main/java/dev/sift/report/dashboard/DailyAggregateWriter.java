package dev.sift.report.dashboard;

import java.util.List;

/**
 * Where the topology sends finished daily snapshots. Called on a stream thread, so it may block; it
 * must be idempotent and keep the snapshot with the highest {@link DailyAggregate#version()}, because
 * after a crash the same snapshots (or older ones) are written again. Throwing makes Kafka Streams
 * abort the transaction and retry the same snapshots.
 */
interface DailyAggregateWriter {

    void write(List<DailyAggregate> snapshots);
}
