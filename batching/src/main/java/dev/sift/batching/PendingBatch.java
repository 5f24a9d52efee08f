package dev.sift.batching;

import dev.sift.contracts.EventJson;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import tools.jackson.core.JacksonException;

/**
 * The state-store value of one key: the records buffered so far, as their original JSON, and the wall-clock
 * time the first of them arrived.
 */
record PendingBatch(long openedAtMs, List<Item> items) {

    /** One buffered record with the id the batch id is derived from. */
    record Item(String id, String json) {
    }

    static PendingBatch open(long nowMs) {
        return new PendingBatch(nowMs, List.of());
    }

    PendingBatch with(Item item) {
        List<Item> more = new ArrayList<>(items.size() + 1);
        more.addAll(items);
        more.add(item);
        return new PendingBatch(openedAtMs, more);
    }

    byte[] toBytes() {
        return EventJson.MAPPER.writeValueAsBytes(this);
    }

    static PendingBatch fromBytes(byte[] bytes) {
        try {
            return EventJson.MAPPER.readValue(bytes, PendingBatch.class);
        } catch (JacksonException e) {
            throw new SerializationException("Corrupt pending batch in the state store", e);
        }
    }
}
