package dev.sift.batching;

import dev.sift.contracts.SiftEvent;
import dev.sift.contracts.Topic;
import java.util.function.Function;

/**
 * What one batching pipeline reads, writes and how it names items.
 *
 * @param name the pipeline's name: its settings key under {@code sift.batching.pipelines} and the prefix of its
 *     state store and metrics
 * @param input the topic of single records, keyed by what batches are grouped by
 * @param output the topic of batches, same key
 * @param itemId a record's stable id (feedback id, bill id): the batch id is derived from these
 * @param assembler builds the batch event
 */
public record BatchPipeline<V extends SiftEvent, B extends SiftEvent>(String name, Topic<V> input, Topic<B> output,
        Function<V, String> itemId, BatchAssembler<V, B> assembler) {

    public String storeName() {
        return name + "-pending-batches";
    }

    /** Where records that do not parse go: the input topic's spring-kafka style dead-letter topic. */
    public String deadLetterTopic() {
        return input.deadLetterTopic();
    }
}
