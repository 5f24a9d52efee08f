package dev.sift.report.dashboard;

import dev.sift.contracts.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The dashboard topology: {@code sift.lecture.activity.v1} (keyed by instructor, so one instructor's
 * events, duplicates included, meet in one task) into {@link ActivityAggregator}, which folds the events into
 * daily aggregates, counting each payment and refund once, and hands changed days to a
 * {@link DailyAggregateWriter}. Production and {@code TopologyTestDriver} tests build it through {@link #build}.
 */
final class DashboardTopology {

    static final String SOURCE = "lecture-activity-source";
    static final String AGGREGATOR = "dashboard-aggregator";
    static final String STUDENTS = "dashboard-students";
    /** {@link LectureDay}s: the day's totals and the ids of its counted payments and refunds. */
    static final String DAILY = "dashboard-daily";
    /**
     * The buckets (key ranges of {@link #DAILY}) that hold a day changed since its last write to the writer;
     * changelogged, so a crash cannot lose one (see {@link ActivityAggregator#BUCKETS}).
     */
    static final String UNWRITTEN = "dashboard-unwritten-days";
    /**
     * A day's changelog record grows with its payment ids (~45 bytes each): 8 MB instead of Kafka's 1 MB default
     * holds about 180,000 payments and refunds of one lecture on one day.
     */
    static final int MAX_DAY_BYTES = 8 * 1024 * 1024;

    private DashboardTopology() {
    }

    /** {@code lag} tells a task whether it is catching up (see {@link DashboardStreams#consumerLag}). */
    static Topology build(StreamsBuilder builder, DashboardProperties properties, PartitionLag lag,
            DailyAggregateWriter writer) {
        // No record cache (it holds serialized bytes in sorted maps): the write-back stores keep objects instead.
        // Students are mostly seen once or twice, days apart: a big cache would only hold garbage for the GC to copy.
        builder.addStateStore(WriteBackStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STUDENTS), Serdes.String(), StateSerdes.studentProgress())
                .withCachingDisabled(), properties.cachedStudents()));
        builder.addStateStore(WriteBackStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DAILY), Serdes.String(), StateSerdes.lectureDays())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_DAY_BYTES))),
                properties.cachedDays()));
        // In memory (still changelogged): it is emptied every write interval, and in RocksDB the deletes
        // would pile up as tombstones that every full scan has to step over. Written when a bucket gets its first
        // pending day and when its last one is written; the aggregator keeps the pending days in a set.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(UNWRITTEN), Serdes.String(), Serdes.Long()).withCachingDisabled());

        builder.stream(Topics.LECTURE_ACTIVITY.name(),
                        Consumed.with(Topics.LECTURE_ACTIVITY.keySerde(),
                                        Serdes.serdeFrom(Topics.LECTURE_ACTIVITY.valueSerde().serializer(), new ActivityJson()))
                                .withName(SOURCE))
                .process(() -> new ActivityAggregator(properties.writeInterval(), properties.catchUpWriteInterval(),
                                properties.catchUpLag(), lag, writer),
                        Named.as(AGGREGATOR), STUDENTS, DAILY, UNWRITTEN);
        return builder.build();
    }
}
