package dev.sift.batching;

import dev.sift.contracts.SiftEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Buffers each key's records in a persistent store and forwards one batch when the key holds
 * {@code maxItems} records (checked on every record) or its oldest record is {@code maxWait} old (checked by a
 * wall-clock punctuator, so quiet keys close even when no new record arrives). Records that do not parse are
 * forwarded unchanged with a {@value #DEAD_LETTER_REASON} header, which routes them to the dead-letter topic.
 *
 * <p>Store updates, forwarded batches and input offsets commit together under {@code exactly_once_v2}, so after
 * a crash a batch is either emitted with its records removed from the store, or not emitted with them still in it.
 */
final class Batcher<V extends SiftEvent, B extends SiftEvent> implements Processor<String, byte[], String, byte[]> {

    /** Marks a forwarded record as a dead letter and says why; spring-kafka-compatible headers go with it. */
    static final String DEAD_LETTER_REASON = "sift-dead-letter-reason";

    private final BatchPipeline<V, B> pipeline;
    private final BatchSettings settings;
    private final BatcherMetrics metrics;
    private @Nullable ProcessorContext<String, byte[]> context;
    private @Nullable KeyValueStore<String, byte[]> store;

    Batcher(BatchPipeline<V, B> pipeline, BatchSettings settings, BatcherMetrics metrics) {
        this.pipeline = pipeline;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(pipeline.storeName());
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::closeExpired);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        V item;
        try {
            if (record.key() == null || record.key().isBlank()) {
                throw new SerializationException("Record has no key: batches are grouped by key");
            }
            if (record.value() == null) {
                throw new SerializationException("Record has no value");
            }
            item = pipeline.input().valueSerde().fromJson(record.value());
        } catch (SerializationException e) {
            deadLetter(record, e);
            return;
        }
        long now = context().currentSystemTimeMs();
        // Re-keyed by the topology when the pipeline groups by something else than the input's key.
        String group = record.key();
        byte[] stored = store().get(group);
        PendingBatch.Item added = new PendingBatch.Item(pipeline.itemId().apply(item),
                new String(record.value(), StandardCharsets.UTF_8));
        byte[] pending = stored == null ? PendingBatch.open(now, added) : PendingBatch.append(stored, added);
        if (PendingBatch.count(pending) >= settings.maxItems()) {
            close(group, pending, CloseReason.COUNT, now);
        } else {
            store().put(group, pending);
        }
    }

    private void closeExpired(long now) {
        List<KeyValue<String, byte[]>> due = new ArrayList<>();
        long oldest = now;
        try (KeyValueIterator<String, byte[]> all = store().all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                long openedAtMs = PendingBatch.openedAtMs(entry.value);
                if (now - openedAtMs >= settings.maxWait().toMillis()) {
                    due.add(entry);
                } else {
                    oldest = Math.min(oldest, openedAtMs);
                }
            }
        }
        // Closed outside the iteration: a store must not be changed under an open iterator.
        due.forEach(entry -> close(entry.key, entry.value, CloseReason.TIME, now));
        metrics.oldestAge(context().taskId().toString(), (now - oldest) / 1000.0);
    }

    private void close(String key, byte[] pending, CloseReason reason, long now) {
        List<PendingBatch.Item> buffered = PendingBatch.items(pending);
        List<V> items = new ArrayList<>(buffered.size());
        for (PendingBatch.Item item : buffered) {
            items.add(pipeline.input().valueSerde().fromJson(item.json().getBytes(StandardCharsets.UTF_8)));
        }
        String batchId = batchId(pipeline.name(), key, buffered.stream().map(PendingBatch.Item::id).toList());
        B batch = pipeline.assembler().assemble(batchId, key, reason, Instant.ofEpochMilli(PendingBatch.openedAtMs(pending)),
                Instant.ofEpochMilli(now), items);
        Headers headers = new RecordHeaders();
        byte[] value = pipeline.output().valueSerde().serializer().serialize(pipeline.output().name(), headers, batch);
        context().forward(new Record<>(key, value, now, headers));
        store().delete(key);
        metrics.closed(reason, items.size());
    }

    /**
     * The batch id: a name-based UUID of the pipeline, the key and the ids of the items in order. The same records
     * always make the same id, also when a batch is rebuilt after a restart.
     */
    static String batchId(String pipeline, String key, List<String> itemIds) {
        String name = pipeline + '\n' + key + '\n' + String.join("\n", itemIds);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void deadLetter(Record<String, byte[]> record, Exception reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DEAD_LETTER_REASON, utf8(reason.getMessage() == null ? reason.toString() : reason.getMessage()));
        // The same header names spring-kafka's DeadLetterPublishingRecoverer writes, so one DLT tool reads both.
        headers.add("kafka_exception-fqcn", utf8(reason.getClass().getName()));
        headers.add("kafka_exception-message", utf8(String.valueOf(reason.getMessage())));
        RecordMetadata source = context().recordMetadata().orElse(null);
        if (source != null) {
            headers.add("kafka_original-topic", utf8(source.topic()));
            headers.add("kafka_original-partition", utf8(Integer.toString(source.partition())));
            headers.add("kafka_original-offset", utf8(Long.toString(source.offset())));
        }
        headers.add("kafka_original-timestamp", utf8(Long.toString(record.timestamp())));
        context().forward(record.withHeaders(headers));
        metrics.deadLettered();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private ProcessorContext<String, byte[]> context() {
        if (context == null) {
            throw new IllegalStateException("Batcher used before init");
        }
        return context;
    }

    private KeyValueStore<String, byte[]> store() {
        if (store == null) {
            throw new IllegalStateException("Batcher used before init");
        }
        return store;
    }
}
