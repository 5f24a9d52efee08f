package dev.sift.report.dashboard;

import dev.sift.contracts.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The dashboard topology: {@code sift.lecture.activity.v1} (keyed by instructor, so one instructor's
 * events, duplicates included, meet in one task) into {@link ActivityAggregator}, which deduplicates,
 * folds the events into daily aggregates and hands changed days to a {@link DailyAggregateWriter}.
 * Production and {@code TopologyTestDriver} tests build it through {@link #build}.
 */
final class DashboardTopology {

    static final String SOURCE = "lecture-activity-source";
    static final String AGGREGATOR = "dashboard-aggregator";
    /**
     * eventId → wall-clock time first seen, under the start of its {@link #deduplicationBucket}; a window
     * store so old ids expire by whole segments.
     */
    static final String EVENT_IDS = "dashboard-event-ids";
    static final String STUDENTS = "dashboard-students";
    static final String DAILY = "dashboard-daily";
    /** Days changed since their last write to the writer; changelogged, so a crash cannot lose one. */
    static final String UNWRITTEN = "dashboard-unwritten-days";

    private DashboardTopology() {
    }

    /** Event ids are filed by the quarter of the deduplication window they were first seen in. */
    static Duration deduplicationBucket(Duration deduplicationWindow) {
        return deduplicationWindow.dividedBy(4);
    }

    static Topology build(StreamsBuilder builder, Duration deduplicationWindow, Duration writeInterval,
            DailyAggregateWriter writer) {
        Duration bucket = deduplicationBucket(deduplicationWindow);
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(EVENT_IDS, deduplicationWindow.plus(bucket), bucket, false),
                Serdes.String(), Serdes.Long()));
        // Caching batches RocksDB writes and changelog records per commit: hot days change many times a second.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STUDENTS),
                Serdes.String(), StateSerdes.studentProgress()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DAILY),
                Serdes.String(), StateSerdes.dailyAggregates()).withCachingEnabled());
        // In memory (still changelogged): it is emptied every write interval, and in RocksDB the deletes
        // would pile up as tombstones that every full scan has to step over.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(UNWRITTEN),
                Serdes.String(), Serdes.Long()));

        builder.stream(Topics.LECTURE_ACTIVITY.name(),
                        Consumed.with(Topics.LECTURE_ACTIVITY.keySerde(), Topics.LECTURE_ACTIVITY.valueSerde())
                                .withName(SOURCE))
                .process(() -> new ActivityAggregator(deduplicationWindow, writeInterval, writer),
                        Named.as(AGGREGATOR), EVENT_IDS, STUDENTS, DAILY, UNWRITTEN);
        return builder.build();
    }
}
