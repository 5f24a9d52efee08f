package dev.sift.clustering.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sift.clustering.ClusteringWorkerApplication;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackBatched;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * The batcher on the real broker across a restart: three items buffered by one instance, which then stops; a
 * new instance with an empty state directory (another machine) gets them back — from the changelog, or by
 * reprocessing input whose offsets were not committed with them (exactly-once makes these the only two cases) —
 * and the next two items close one batch of all five. Nothing lost, nothing emitted twice.
 */
class BatcherRestartIT {

    private final String applicationId = "batcher-restart-it-" + UUID.randomUUID();
    private final String org = "org-restart-" + UUID.randomUUID();

    @Test
    void bufferedItemsSurviveARestartOnAnotherMachine() throws Exception {
        List<String> ids = new ArrayList<>();
        try (ConfigurableApplicationContext first = start(Files.createTempDirectory("restart-a"))) {
            ids.addAll(submit(first, 0, 3));
            await().atMost(Duration.ofSeconds(60)).until(() -> buffered(first) == 3);
        }
        try (ConfigurableApplicationContext second = start(Files.createTempDirectory("restart-b"))) {
            ids.addAll(submit(second, 3, 2));

            List<FeedbackBatched> batches = await().atMost(Duration.ofSeconds(60)).until(this::batchesOfOrg,
                    b -> !b.isEmpty());
            assertThat(batches).singleElement().satisfies(batch -> {
                assertThat(batch.closedBy()).isEqualTo(FeedbackBatched.ClosedBy.COUNT);
                assertThat(batch.items()).extracting(FeedbackSubmitted::feedbackId).containsExactlyElementsOf(ids);
            });
            Thread.sleep(1500);
            assertThat(batchesOfOrg()).as("no second batch").hasSize(1);
        }
    }

    private ConfigurableApplicationContext start(Path stateDir) {
        TestDatabase database = TestDatabase.get();
        return ClusteringWorkerApplication.builder().run("--SIFT_KAFKA_BOOTSTRAP=" + KafkaTestBroker.bootstrapServers(),
                "--sift.db.url=" + database.url(), "--sift.db.user=" + database.user(),
                "--sift.db.password=" + database.password(), "--server.port=0",
                "--logging.structured.format.console=",
                // Only the batcher matters here: the clustering listener stays off.
                "--spring.kafka.listener.auto-startup=false",
                "--sift.clustering.streams.application-id=" + applicationId,
                "--sift.clustering.streams.state-dir=" + stateDir,
                "--sift.clustering.streams.commit-interval=PT0.2S",
                // Streams members do not leave the group on close (a restarted instance keeps its partitions); the
                // broker's minimum session timeout lets the second instance take over quickly.
                "--spring.kafka.streams.properties.session.timeout.ms=6000",
                "--spring.kafka.streams.properties.heartbeat.interval.ms=1000",
                "--sift.batching.pipelines.feedback.max-items=5",
                "--sift.batching.pipelines.feedback.max-wait=PT1H");
    }

    private List<String> submit(ConfigurableApplicationContext context, int from, int count) {
        EventPublisher events = context.getBean(EventPublisher.class);
        return IntStream.range(from, from + count).mapToObj(i -> {
            FeedbackSubmitted feedback = new FeedbackSubmitted(org + "-" + i, org, "author", null, "item " + i,
                    Instant.now());
            events.publish(Topics.FEEDBACK_SUBMITTED, org, feedback).block();
            return feedback.feedbackId();
        }).toList();
    }

    private int buffered(ConfigurableApplicationContext context) {
        KafkaStreams streams = context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return 0;
        }
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                FeedbackBatcher.PIPELINE.storeName(), QueryableStoreTypes.keyValueStore()));
        byte[] pending = store.get(org);
        if (pending == null) {
            return 0;
        }
        // Counted by the feedback ids in the buffered items' JSON, whatever the store's own format.
        String value = new String(pending, java.nio.charset.StandardCharsets.UTF_8);
        return (int) IntStream.range(0, 5).filter(i -> value.contains("\"" + org + "-" + i + "\"")).count();
    }

    private List<FeedbackBatched> batchesOfOrg() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<FeedbackBatched> batches = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.FEEDBACK_BATCHED.name()));
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (org.equals(record.key())) {
                        batches.add(Topics.FEEDBACK_BATCHED.valueSerde().fromJson(record.value()));
                    }
                });
            }
        }
        return batches;
    }
}
