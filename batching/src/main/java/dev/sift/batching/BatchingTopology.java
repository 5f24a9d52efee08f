package dev.sift.batching;

import dev.sift.contracts.SiftEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import java.util.function.Function;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Adds a batching pipeline to a {@link StreamsBuilder}: the one way production code and
 * {@code TopologyTestDriver} tests build it, so the tests run the production topology.
 */
public final class BatchingTopology {

    private BatchingTopology() {
    }

    /** input topic → batcher (persistent store) → output topic, or the input's dead-letter topic. */
    public static <V extends SiftEvent, B extends SiftEvent> void addTo(StreamsBuilder builder,
            BatchPipeline<V, B> pipeline, BatchSettings settings, BatcherMetrics metrics) {
        // RocksDB with a changelog: the buffer survives restarts and moves with its partition to another instance.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(pipeline.storeName()),
                Serdes.String(), Serdes.ByteArray()));
        // Bytes in, so a record that does not parse reaches the batcher (and the DLT) instead of failing the task.
        KStream<String, byte[]> input = builder.stream(pipeline.input().name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(pipeline.name() + "-source"));
        Function<V, String> groupBy = pipeline.groupBy();
        if (groupBy != null) {
            // One group's records must meet in one task: re-key, then repartition through an internal topic. A record
            // that does not parse keeps its key and reaches the batcher's dead-letter branch.
            input = input.selectKey((key, value) -> {
                try {
                    return value == null ? key : groupBy.apply(pipeline.input().valueSerde().fromJson(value));
                } catch (RuntimeException e) {
                    return key;
                }
            }, Named.as(pipeline.name() + "-group-key")).repartition(Repartitioned.<String, byte[]>as(
                    pipeline.name() + "-by-group").withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
        }
        input
                .process(() -> new Batcher<>(pipeline, settings, metrics), Named.as(pipeline.name() + "-batcher"),
                        pipeline.storeName())
                .to((key, value, context) -> context.headers().lastHeader(Batcher.DEAD_LETTER_REASON) != null
                                ? pipeline.deadLetterTopic()
                                : pipeline.output().name(),
                        Produced.with(Serdes.String(), Serdes.ByteArray()).withName(pipeline.name() + "-sink"));
    }
}
