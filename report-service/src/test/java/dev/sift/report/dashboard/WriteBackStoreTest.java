package dev.sift.report.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The object cache writes back on flush (before every commit) and on eviction, and nothing else. */
class WriteBackStoreTest {

    KeyValueStore<String, Long> inner;
    WriteBackStore<Long> store;

    @BeforeEach
    void open() {
        inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().build();
        store = new WriteBackStore<>(inner, 2);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void changesReachTheInnerStoreOnlyWhenFlushed() {
        inner.put("a", 1L);
        assertThat(store.get("a")).isEqualTo(1L);
        store.put("a", 2L);
        store.put("b", 3L);
        store.delete("a");

        assertThat(inner.get("a")).isEqualTo(1L);
        assertThat(inner.get("b")).isNull();
        assertThat(store.get("a")).isNull();
        assertThat(store.get("b")).isEqualTo(3L);

        store.flush();
        assertThat(inner.get("a")).isNull();
        assertThat(inner.get("b")).isEqualTo(3L);
    }

    @Test
    void theLeastRecentlyUsedEntryIsWrittenBackWhenEvicted() {
        store.put("a", 1L);
        store.put("b", 2L);
        store.get("a");
        store.put("c", 3L);

        assertThat(inner.get("b")).as("b was used least recently: evicted, and written back").isEqualTo(2L);
        assertThat(inner.get("a")).isNull();
        assertThat(store.get("b")).as("read back from the inner store").isEqualTo(2L);

        store.flush();
        assertThat(inner.get("a")).isEqualTo(1L);
        assertThat(inner.get("c")).isEqualTo(3L);
    }

    @Test
    void scansSeeUnflushedChanges() {
        store.putAll(List.of(KeyValue.pair("a", 1L), KeyValue.pair("b", 2L)));
        store.delete("a");

        List<String> keys = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        assertThat(keys).containsExactly("b");
    }
}
