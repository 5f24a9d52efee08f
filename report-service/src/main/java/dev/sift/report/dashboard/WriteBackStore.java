package dev.sift.report.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A write-back cache of <em>objects</em> in front of a changelogged key-value store: reads and writes between
 * two commits stay in a hash map, and the changed entries reach the inner store (RocksDB and the changelog)
 * when Kafka Streams flushes the stores, which it does before every commit, so what commits is exactly what
 * the processor wrote.
 *
 * <p>Written by hand because Kafka Streams' own record cache keeps serialized bytes in sorted maps: every get
 * deserialized and every put serialized the value and walked a {@code TreeMap} of a few hundred thousand
 * entries, a third of the stream thread's time in the dashboard benchmark. Here a hot value is one hash lookup
 * and is serialized once per commit. Values may be mutable: the processor changes the object it got and puts it
 * back to mark it changed.
 *
 * <p>At most {@code maxEntries} entries are held; beyond that the least recently used one is dropped, after
 * being written to the inner store if it changed since the last flush (writing to the inner store early is
 * harmless: it still commits with the Streams transaction). Closing the store drops the cache without writing
 * it, because Streams closes stores without a flush only when their state is discarded.
 */
final class WriteBackStore<V> implements KeyValueStore<String, V> {

    private final KeyValueStore<String, V> inner;
    private final LinkedHashMap<String, Cached<V>> cache;
    private final List<String> changed = new ArrayList<>();

    WriteBackStore(KeyValueStore<String, V> inner, int maxEntries) {
        this.inner = inner;
        this.cache = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached<V>> eldest) {
                if (size() <= maxEntries) {
                    return false;
                }
                if (eldest.getValue().changed) {
                    eldest.getValue().changed = false;
                    WriteBackStore.this.inner.put(eldest.getKey(), eldest.getValue().value);
                }
                return true;
            }
        };
    }

    /** Wraps a store builder (logging and caching settings as given; the record cache should be off). */
    static <V> StoreBuilder<WriteBackStore<V>> builder(StoreBuilder<KeyValueStore<String, V>> inner, int maxEntries) {
        return new Builder<>(inner, maxEntries);
    }

    @Override
    public @Nullable V get(String key) {
        Cached<V> entry = cache.get(key);
        if (entry == null) {
            entry = new Cached<>(inner.get(key));
            cache.put(key, entry);
        }
        return entry.value;
    }

    @Override
    public void put(String key, @Nullable V value) {
        Cached<V> entry = cache.get(key);
        if (entry == null) {
            entry = new Cached<>(value);
            cache.put(key, entry);
        } else {
            entry.value = value;
        }
        if (!entry.changed) {
            entry.changed = true;
            changed.add(key);
        }
    }

    @Override
    public @Nullable V putIfAbsent(String key, @Nullable V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        for (KeyValue<String, V> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public @Nullable V delete(String key) {
        V current = get(key);
        put(key, null);
        return current;
    }

    /** Writes every entry changed since the last flush to the inner store, in one batch. */
    private void writeBack() {
        if (changed.isEmpty()) {
            return;
        }
        List<KeyValue<String, V>> batch = new ArrayList<>(changed.size());
        for (String key : changed) {
            Cached<V> entry = cache.get(key);
            if (entry != null && entry.changed) {
                entry.changed = false;
                batch.add(KeyValue.pair(key, entry.value));
            }
        }
        changed.clear();
        inner.putAll(batch);
    }

    @Override
    public void flush() {
        writeBack();
        inner.flush();
    }

    // Scans are rare (the pending days, once per write interval; tests): they see the inner store after a write-back.

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        writeBack();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        writeBack();
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        writeBack();
        return inner.approximateNumEntries();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void close() {
        cache.clear();
        changed.clear();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        writeBack();
        return inner.query(query, positionBound, config);
    }

    private static final class Cached<V> {

        @Nullable V value;
        boolean changed;

        Cached(@Nullable V value) {
            this.value = value;
        }
    }

    private record Builder<V>(StoreBuilder<KeyValueStore<String, V>> inner, int maxEntries)
            implements StoreBuilder<WriteBackStore<V>> {

        @Override
        public StoreBuilder<WriteBackStore<V>> withCachingEnabled() {
            return new Builder<>(inner.withCachingEnabled(), maxEntries);
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withCachingDisabled() {
            return new Builder<>(inner.withCachingDisabled(), maxEntries);
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config), maxEntries);
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled(), maxEntries);
        }

        @Override
        public WriteBackStore<V> build() {
            return new WriteBackStore<>(inner.build(), maxEntries);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }

    @Override
    public String toString() {
        return "WriteBackStore[" + Objects.toString(inner.name()) + "]";
    }
}
