package dev.sift.clustering.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.batching.BatchSettings;
import dev.sift.batching.BatcherMetrics;
import dev.sift.batching.CloseReason;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackBatched;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the production feedback batching topology in a {@link TopologyTestDriver}. */
class FeedbackBatcherTest {

    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");
    private static final BatchSettings SETTINGS = new BatchSettings(100, Duration.ofHours(2), Duration.ofSeconds(10));

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BatcherMetrics metrics = new BatcherMetrics(FeedbackBatcher.PIPELINE_NAME, registry);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> submitted;
    private TestOutputTopic<String, byte[]> batched;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        open();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void open() {
        StreamsBuilder builder = new StreamsBuilder();
        FeedbackBatcher.buildTopology(builder, SETTINGS, metrics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "feedback-batcher-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, START);
        submitted = driver.createInputTopic(Topics.FEEDBACK_SUBMITTED.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), START, Duration.ofMillis(10));
        batched = driver.createOutputTopic(Topics.FEEDBACK_BATCHED.name(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(Topics.FEEDBACK_SUBMITTED.deadLetterTopic(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @Test
    void closesBatchAtHundredItems() {
        submit("org-a", 99);
        assertThat(batched.isEmpty()).isTrue();

        submit("org-a", 1, 99);

        List<FeedbackBatched> batches = readBatches();
        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.organizationId()).isEqualTo("org-a");
            assertThat(batch.closedBy()).isEqualTo(FeedbackBatched.ClosedBy.COUNT);
            assertThat(batch.items()).hasSize(100);
            assertThat(batch.items().getFirst().feedbackId()).isEqualTo("org-a-0");
            assertThat(batch.items().getLast().feedbackId()).isEqualTo("org-a-99");
        });
        assertThat(metrics.flushes(CloseReason.COUNT)).isEqualTo(1);
        assertThat(registry.get("sift.batching.batch.size").summary().totalAmount()).isEqualTo(100);
    }

    @Test
    void closesBatchWhenOldestItemReachesMaxWait() {
        submit("org-a", 3);
        driver.advanceWallClockTime(Duration.ofMinutes(119));
        assertThat(batched.isEmpty()).isTrue();
        assertThat(registry.get("sift.batching.oldest.age").gauge().value()).isGreaterThanOrEqualTo(119 * 60);

        driver.advanceWallClockTime(Duration.ofMinutes(1));

        List<FeedbackBatched> batches = readBatches();
        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.closedBy()).isEqualTo(FeedbackBatched.ClosedBy.TIME);
            assertThat(batch.items()).extracting(FeedbackSubmitted::feedbackId)
                    .containsExactly("org-a-0", "org-a-1", "org-a-2");
            assertThat(Duration.between(batch.openedAt(), batch.closedAt())).isEqualTo(Duration.ofHours(2));
        });
        assertThat(metrics.flushes(CloseReason.TIME)).isEqualTo(1);
    }

    @Test
    void batchesEachKeyIndependently() {
        for (int i = 0; i < 100; i++) {
            submit("org-busy", 1, i);
            if (i % 10 == 0) {
                submit("org-quiet-" + i, 1);
            }
        }

        List<KeyValue<String, FeedbackBatched>> byCount = readKeyedBatches();
        assertThat(byCount).singleElement().satisfies(batch -> {
            assertThat(batch.key).isEqualTo("org-busy");
            assertThat(batch.value.items()).allSatisfy(item -> assertThat(item.organizationId()).isEqualTo("org-busy"));
        });

        driver.advanceWallClockTime(Duration.ofHours(2));

        List<KeyValue<String, FeedbackBatched>> byTime = readKeyedBatches();
        assertThat(byTime).hasSize(10).allSatisfy(batch -> {
            assertThat(batch.key).startsWith("org-quiet-");
            assertThat(batch.value.items()).singleElement()
                    .satisfies(item -> assertThat(item.organizationId()).isEqualTo(batch.key));
        });
    }

    @Test
    void bufferedItemsSurviveARestartAndMakeTheSameBatch() {
        submit("org-a", 60);
        // What a restarted instance finds: the store restored from RocksDB or its changelog. The driver deletes its
        // state directory on close, so the test carries the store's entries over to the new driver itself.
        List<KeyValue<String, byte[]>> stored = storeEntries();
        assertThat(stored).hasSize(1);
        driver.close();
        open();
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(FeedbackBatcher.PIPELINE.storeName());
        stored.forEach(entry -> store.put(entry.key, entry.value));

        submit("org-a", 40, 60);

        FeedbackBatched afterRestart = readBatches().getFirst();
        assertThat(afterRestart.items()).hasSize(100);

        driver.close();
        open();
        submit("org-a", 100);
        FeedbackBatched uninterrupted = readBatches().getFirst();
        assertThat(afterRestart.batchId()).isEqualTo(uninterrupted.batchId());
    }

    @Test
    void sendsUnparseableRecordToDeadLetterTopicNotIntoABatch() {
        submitted.pipeInput("org-a", "{not json".getBytes(StandardCharsets.UTF_8));
        submitted.pipeInput("org-a", "{\"feedbackId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        submit("org-a", 99);

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(new String(dead.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(header(dead.getFirst(), "sift-dead-letter-reason")).contains("sift.feedback.submitted.v1");
        assertThat(header(dead.getFirst(), "kafka_original-topic")).isEqualTo(Topics.FEEDBACK_SUBMITTED.name());
        assertThat(header(dead.getFirst(), "kafka_exception-fqcn"))
                .isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(batched.isEmpty()).as("99 good records do not fill a batch of 100").isTrue();
        driver.advanceWallClockTime(Duration.ofHours(2));
        assertThat(readBatches()).singleElement().satisfies(batch -> assertThat(batch.items()).hasSize(99));
    }

    @Test
    void batchIdDependsOnlyOnKeyAndItems() {
        submit("org-a", 100);
        submit("org-b", 100);
        driver.close();
        open();
        submit("org-a", 100);

        List<FeedbackBatched> batches = readBatches();
        assertThat(batches).hasSize(1);
        FeedbackBatched again = batches.getFirst();
        assertThat(again.batchId()).isEqualTo(expectedBatchId("org-a", 100));
        assertThat(again.batchId()).isNotEqualTo(expectedBatchId("org-b", 100));
    }

    private static String expectedBatchId(String org, int count) {
        return java.util.UUID.nameUUIDFromBytes(("feedback\n" + org + "\n" + String.join("\n",
                IntStream.range(0, count).mapToObj(i -> org + "-" + i).toList())).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private void submit(String org, int count) {
        submit(org, count, 0);
    }

    private void submit(String org, int count, int from) {
        for (int i = from; i < from + count; i++) {
            FeedbackSubmitted feedback = new FeedbackSubmitted(org + "-" + i, org, "author", null, "text " + i,
                    START.plusSeconds(i));
            submitted.pipeInput(org, Topics.FEEDBACK_SUBMITTED.valueSerde().toJson(feedback));
        }
    }

    private List<FeedbackBatched> readBatches() {
        return readKeyedBatches().stream().map(kv -> kv.value).toList();
    }

    private List<KeyValue<String, FeedbackBatched>> readKeyedBatches() {
        List<KeyValue<String, FeedbackBatched>> all = new ArrayList<>();
        for (TestRecord<String, byte[]> record : batched.readRecordsToList()) {
            assertThat(header(record, "ce_type")).isEqualTo("dev.sift.feedback.batched.v1");
            all.add(KeyValue.pair(record.key(), Topics.FEEDBACK_BATCHED.valueSerde().fromJson(record.value())));
        }
        return all;
    }

    private List<KeyValue<String, byte[]>> storeEntries() {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(FeedbackBatcher.PIPELINE.storeName());
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entries::add);
        }
        return entries;
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
