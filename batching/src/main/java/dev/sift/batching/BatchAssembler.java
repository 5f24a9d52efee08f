package dev.sift.batching;

import java.time.Instant;
import java.util.List;

/** Turns the buffered records of one key into the pipeline's batch event. */
@FunctionalInterface
public interface BatchAssembler<V, B> {

    B assemble(String batchId, String key, CloseReason reason, Instant openedAt, Instant closedAt, List<V> items);
}
