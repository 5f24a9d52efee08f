package dev.sift.batching;

import dev.sift.contracts.SiftEvent;
import dev.sift.contracts.Topic;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What one batching pipeline reads, writes and how it names items.
 *
 * @param name the pipeline's name: its settings key under {@code sift.batching.pipelines} and the prefix of its
 *     state store and metrics
 * @param input the topic of single records, keyed by what batches are grouped by
 * @param output the topic of batches, same key
 * @param itemId a record's stable id (feedback id, bill id): the batch id is derived from these
 * @param assembler builds the batch event
 * @param groupBy the key a record is batched under, or null to batch by the input's Kafka key. With a function,
 *     records are re-keyed and repartitioned first, so that one group's records meet in one task whichever
 *     partition they arrived on (bills: keyed by bill id, batched by proposal date)
 */
public record BatchPipeline<V extends SiftEvent, B extends SiftEvent>(String name, Topic<V> input, Topic<B> output,
        Function<V, String> itemId, BatchAssembler<V, B> assembler, @Nullable Function<V, String> groupBy) {

    /** A pipeline that batches by the input's Kafka key (feedback: the organisation). */
    public BatchPipeline(String name, Topic<V> input, Topic<B> output, Function<V, String> itemId,
            BatchAssembler<V, B> assembler) {
        this(name, input, output, itemId, assembler, null);
    }

    public String storeName() {
        return name + "-pending-batches";
    }

    /** Where records that do not parse go: the input topic's spring-kafka style dead-letter topic. */
    public String deadLetterTopic() {
        return input.deadLetterTopic();
    }
}
