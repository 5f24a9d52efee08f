package dev.sift.clustering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.ClusterLabeled;
import dev.sift.contracts.feedback.FeedbackBatched;
import dev.sift.contracts.feedback.FeedbackClustered;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.AiProviderStandIn;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.RealInfrastructure;
import dev.sift.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole worker on the real broker and Postgres, with the embedding provider served by an HTTP stand-in:
 * submitted feedback → batcher → listener → embeddings → clusters in Postgres → result events.
 */
@RealInfrastructure
// Closed after the class: its batcher would otherwise keep batching every submission of later ITs in this JVM.
@DirtiesContext
@SpringBootTest(classes = ClusteringWorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClusteringWorkerIT {

    private static final AiProviderStandIn provider = new AiProviderStandIn();
    private static final Recorder recorder = new Recorder();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("sift.ai.embedding.provider", () -> "voyage");
        registry.add("sift.ai.embedding.base-url", provider::baseUrl);
        registry.add("sift.ai.embedding.api-key", () -> "it-key");
        registry.add("sift.batching.pipelines.feedback.max-items", () -> "5");
        registry.add("sift.batching.pipelines.feedback.max-wait", () -> "PT2S");
        registry.add("sift.batching.pipelines.feedback.check-interval", () -> "PT0.5S");
        registry.add("sift.clustering.retry.delays", () -> "PT1S,PT2S");
        registry.add("sift.clustering.streams.commit-interval", () -> "PT0.2S");
        registry.add("sift.clustering.streams.state-dir",
                Files.createTempDirectory("clustering-it-streams")::toString);
        registry.add("logging.structured.format.console", () -> "");
        // Failsafe passes SIFT_DB_URL from the build's environment, empty when unset, and relaxed binding reads that
        // empty variable as sift.db.url ahead of the properties file: name the test database here explicitly.
        registry.add("sift.db.url", () -> TestDatabase.get().url());
        registry.add("sift.db.user", () -> TestDatabase.get().user());
        registry.add("sift.db.password", () -> TestDatabase.get().password());
    }

    @Autowired
    EventPublisher events;

    @Autowired
    KafkaTemplate<String, byte[]> template;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    org.springframework.core.env.Environment environment;

    @BeforeAll
    static void startRecorder() {
        recorder.start();
    }

    @AfterAll
    static void stop() {
        recorder.close();
        provider.close();
    }

    @AfterEach
    void recoverProvider() {
        provider.recover();
    }

    @Test
    void submittedFeedbackComesOutClusteredAndLabelled() {
        String org = "org-" + UUID.randomUUID();
        List<String> audio = submit(org, "audio volume quiet", "audio volume low quiet", "quiet audio volume please");
        List<String> quiz = submit(org, "quiz deadline early", "quiz deadline moved early");

        Map<String, FeedbackClustered> clustered = awaitClustered(org, 5);
        assertThat(audio.stream().map(id -> clustered.get(id).clusterId()).distinct()).hasSize(1);
        assertThat(quiz.stream().map(id -> clustered.get(id).clusterId()).distinct()).hasSize(1);
        String audioCluster = clustered.get(audio.getFirst()).clusterId();
        String quizCluster = clustered.get(quiz.getFirst()).clusterId();
        assertThat(audioCluster).isNotEqualTo(quizCluster);
        assertThat(clustered.values()).extracting(FeedbackClustered::batchId).containsOnly(
                clustered.get(audio.getFirst()).batchId());

        Map<String, ClusterLabeled> labels = await().atMost(Duration.ofSeconds(30)).until(
                () -> recorder.labeled(org), l -> l.keySet().containsAll(List.of(audioCluster, quizCluster)));
        assertThat(labels.get(audioCluster).size()).isEqualTo(3);
        assertThat(labels.get(audioCluster).label()).isIn("audio volume quiet", "audio volume low quiet",
                "quiet audio volume please");
        assertThat(labels.get(audioCluster).sampleFeedbackIds()).containsExactlyInAnyOrderElementsOf(audio);
        assertThat(labels.get(quizCluster).size()).isEqualTo(2);
        // One embedding request for the whole batch of five.
        assertThat(provider.received()).filteredOn(r -> r.body().path("input").toString().contains("quiz deadline"))
                .singleElement().satisfies(r -> assertThat(r.body().path("input").size()).isEqualTo(5));
        assertThat(jdbc.queryForObject("select count(*) from assignment where organization_id = ?", Integer.class,
                org)).isEqualTo(5);
    }

    @Test
    void aClusterThatDoubledIsRelabelledFromItsKeptCandidateAndTheNewMembers() {
        String org = "org-" + UUID.randomUUID();
        // Five items close a batch at once (max-items 5 here). The plain text is the most central of all ten, but
        // it came in the first batch: relabelling from the second batch's members alone would pick
        // "... distorted mono" (the stand-in hashes words, see AiProviderStandIn.vectorOf).
        submit(org, "audio volume quiet", "audio volume quiet hiss crackle", "audio volume quiet echo fuzz",
                "audio volume quiet hum buzz", "audio volume quiet lag drift");
        String cluster = awaitClustered(org, 5).values().iterator().next().clusterId();
        assertThat(jdbc.queryForObject("select labeled_size from cluster where cluster_id = ?", Integer.class,
                cluster)).isEqualTo(5);
        submit(org, "audio volume quiet static clicks", "audio volume quiet muffled tinny",
                "audio volume quiet distorted mono", "audio volume quiet faint speaker",
                "audio volume quiet soft microphone");

        assertThat(awaitClustered(org, 10).values()).extracting(FeedbackClustered::clusterId).containsOnly(cluster);
        ClusterLabeled labeled = await().atMost(Duration.ofSeconds(30)).until(() -> recorder.labeled(org).get(cluster),
                l -> l != null && l.size() == 10);
        assertThat(labeled.label()).isEqualTo("audio volume quiet");
        assertThat(jdbc.queryForMap("select labeled_size, label_candidate_text from cluster where cluster_id = ?",
                cluster)).containsEntry("labeled_size", 10).containsEntry("label_candidate_text", "audio volume quiet");
    }

    @Test
    void batchesClosedTogetherShareEmbeddingRequests() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> orgs = IntStream.range(0, 6).mapToObj(i -> "org-shared-" + run + "-" + i).toList();
        // Published all at once, so that the six batches (two items each) close by time in one punctuation, or
        // two when the submissions straddle a check.
        reactor.core.publisher.Flux.fromIterable(orgs)
                .flatMap(org -> reactor.core.publisher.Flux.just("pace", "speed").flatMap(word -> events.publish(
                        Topics.FEEDBACK_SUBMITTED, org, new FeedbackSubmitted(UUID.randomUUID().toString(), org,
                                "author", null, "shared " + run + " lecture " + word + " " + org, Instant.now()))))
                .blockLast(Duration.ofSeconds(30));

        for (String org : orgs) {
            awaitClustered(org, 2);
        }
        long requests = provider.received().stream()
                .filter(r -> r.body().path("input").toString().contains("shared " + run)).count();
        // One request per batch would be 6. Batches that a listener consumer receives in one poll share one request;
        // the two consumers (concurrency 2) and a punctuation boundary can make it up to four, a loaded machine
        // splitting polls further. Fewer requests than batches is the behaviour under test.
        assertThat(requests).as("embedding requests for 6 batches").isBetween(1L, 5L);
    }

    @Test
    void aBatchRetriesThroughRetryTopicsUntilTheProviderRecovers() {
        provider.failAlways(500);
        String org = "org-" + UUID.randomUUID();
        List<String> ids = submit(org, "slides unreadable font", "slides font small", "font slides tiny",
                "slides font blurry", "unreadable slides font");

        // The main attempt and the first retry (1 s later) fail...
        await().atMost(Duration.ofSeconds(30)).until(() -> requestsContaining("slides font small") >= 2);
        assertThat(recorder.clustered(org)).isEmpty();
        provider.recover();

        // ...and the second retry (2 s later) succeeds.
        Map<String, FeedbackClustered> clustered = awaitClustered(org, 5);
        assertThat(clustered.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(recorder.topicsSeen()).contains(Topics.FEEDBACK_BATCHED.name() + "-retry-1000");
    }

    @Test
    void aRateLimitedRequestWaitsOutRetryAfterInPlaceWithoutARetryTopic() {
        provider.failNext(1, 429, Duration.ofSeconds(1));
        String org = "org-" + UUID.randomUUID();
        List<String> ids = submit(org, "lab room cold", "lab room freezing cold", "cold lab room", "lab cold room",
                "room lab cold");

        assertThat(awaitClustered(org, 5).keySet()).containsExactlyInAnyOrderElementsOf(ids);
        List<AiProviderStandIn.Received> requests = provider.received().stream()
                .filter(r -> r.body().path("input").toString().contains("lab room freezing cold")).toList();
        assertThat(requests).as("the 429 and the request after it").hasSize(2);
        assertThat(Duration.ofNanos(requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()))
                .as("Retry-After honoured").isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(recorder.records.stream().filter(r -> r.topic().startsWith(Topics.FEEDBACK_BATCHED.name() + "-"))
                .filter(r -> org.equals(r.key()))).as("no retry topic or DLT for a 429 waited out").isEmpty();
    }

    @Test
    void aRequestTheProviderRejectsGoesStraightToTheDeadLetterTopic() {
        provider.failAlways(400);
        String org = "org-" + UUID.randomUUID();
        submit(org, "permanent one", "permanent two", "permanent three", "permanent four", "permanent five");

        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(30)).until(
                () -> recorder.deadLetter(org), r -> r != null);
        assertThat(header(dead, "kafka_original-topic")).isEqualTo(Topics.FEEDBACK_BATCHED.name());
        assertThat(header(dead, "kafka_exception-cause-fqcn")).isEqualTo("dev.sift.ai.PermanentAiProviderException");
        assertThat(header(dead, "kafka_exception-message")).contains("400");
        assertThat(Topics.FEEDBACK_BATCHED.valueSerde().fromJson(dead.value()).organizationId()).isEqualTo(org);
        assertThat(requestsContaining("permanent one")).as("no retries for a 400").isEqualTo(1);
        assertThat(recorder.clustered(org)).isEmpty();
    }

    @Test
    void aRedeliveredBatchChangesNothing() {
        String org = "org-" + UUID.randomUUID();
        List<FeedbackSubmitted> items = IntStream.range(0, 3).mapToObj(i -> new FeedbackSubmitted(
                UUID.randomUUID().toString(), org, "author", null, "parking lot full " + i, Instant.now())).toList();
        FeedbackBatched batch = new FeedbackBatched(UUID.randomUUID().toString(), org, FeedbackBatched.ClosedBy.TIME,
                Instant.now(), Instant.now(), items);
        events.publish(Topics.FEEDBACK_BATCHED, org, batch).block();
        awaitClustered(org, 3);
        int requests = requestsContaining("parking lot full 0");

        events.publish(Topics.FEEDBACK_BATCHED, org, batch).block();
        // A later batch on the same key and partition: once it is clustered, the redelivery was handled before it.
        FeedbackBatched marker = new FeedbackBatched(UUID.randomUUID().toString(), org, FeedbackBatched.ClosedBy.TIME,
                Instant.now(), Instant.now(), List.of(new FeedbackSubmitted(UUID.randomUUID().toString(), org,
                        "author", null, "marker", Instant.now())));
        events.publish(Topics.FEEDBACK_BATCHED, org, marker).block();
        awaitClustered(org, 4);

        assertThat(recorder.clusteredRecords(org)).hasSize(4);
        assertThat(requestsContaining("parking lot full 0")).isEqualTo(requests);
        assertThat(jdbc.queryForObject("select count(*) from assignment where organization_id = ?", Integer.class,
                org)).isEqualTo(4);
        assertThat(jdbc.queryForObject("select sum(size) from cluster where organization_id = ?", Integer.class,
                org)).isEqualTo(4);
    }

    @Test
    void aBatchCommittedButNotAcknowledgedIsRepublishedFromTheStoreWithoutNewEmbeddings() {
        String org = "org-" + UUID.randomUUID();
        List<FeedbackSubmitted> items = IntStream.range(0, 2).mapToObj(i -> new FeedbackSubmitted(
                UUID.randomUUID().toString(), org, "author", null, "projector flicker " + i, Instant.now())).toList();
        FeedbackBatched batch = new FeedbackBatched(UUID.randomUUID().toString(), org, FeedbackBatched.ClosedBy.COUNT,
                Instant.now(), Instant.now(), items);
        events.publish(Topics.FEEDBACK_BATCHED, org, batch).block();
        awaitClustered(org, 2);
        int requests = requestsContaining("projector flicker 0");
        // The worker marks the batch published only after Kafka acknowledged its results, which can be after the
        // results reached the recorder: wait for that mark, else it could overwrite the simulated crash below.
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select published_at is not null from processed_batch where batch_id = ?", Boolean.class,
                batch.batchId()));
        // What a crash between the commit and Kafka's acknowledgement of the results leaves behind.
        jdbc.update("update processed_batch set published_at = null where batch_id = ?", batch.batchId());

        events.publish(Topics.FEEDBACK_BATCHED, org, batch).block();

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.clusteredRecords(org).size() == 4);
        List<String> eventIds = recorder.cloudEventIds(Topics.FEEDBACK_CLUSTERED.name(), org);
        assertThat(eventIds).hasSize(4);
        assertThat(eventIds.stream().distinct()).as("the same two events again, with the same ce_id").hasSize(2);
        assertThat(requestsContaining("projector flicker 0")).isEqualTo(requests);
        assertThat(jdbc.queryForObject("select count(*) from assignment where organization_id = ?", Integer.class,
                org)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select published_at is not null from processed_batch where batch_id = ?", Boolean.class,
                batch.batchId()));
    }

    @Test
    void readinessIncludesTheBatchersKafkaStreamsState() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + environment.getProperty("local.server.port") + "/actuator/health/readiness";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("\"feedbackBatcher\"").contains("\"status\":\"UP\"")
                    .containsPattern("\"state\":\"(RUNNING|REBALANCING)\"");
        });
    }

    @Test
    void anUnparseableSubmissionGoesToTheDeadLetterTopicNotIntoABatch() {
        String org = "org-" + UUID.randomUUID();
        template.send(new ProducerRecord<>(Topics.FEEDBACK_SUBMITTED.name(), org,
                "{broken".getBytes(StandardCharsets.UTF_8))).join();
        submit(org, "after the broken one");

        awaitClustered(org, 1);
        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(30)).until(
                () -> recorder.submittedDeadLetter(org), r -> r != null);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{broken");
        assertThat(header(dead, "sift-dead-letter-reason")).isNotEmpty();
    }

    private List<String> submit(String org, String... texts) {
        return java.util.Arrays.stream(texts).map(text -> {
            FeedbackSubmitted feedback = new FeedbackSubmitted(UUID.randomUUID().toString(), org, "author", null,
                    text, Instant.now());
            events.publish(Topics.FEEDBACK_SUBMITTED, org, feedback).block();
            return feedback.feedbackId();
        }).toList();
    }

    private Map<String, FeedbackClustered> awaitClustered(String org, int count) {
        return await().atMost(Duration.ofSeconds(45)).until(() -> recorder.clustered(org), m -> m.size() >= count);
    }

    private int requestsContaining(String text) {
        return (int) provider.received().stream().filter(r -> r.body().path("input").toString().contains(text)).count();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Reads the output, retry and dead-letter topics from the beginning in the background. */
    static final class Recorder implements AutoCloseable {

        private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;
        private Thread thread;

        void start() {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "clustering-it-recorder-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
            thread = Thread.ofVirtual().start(() -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.subscribe(java.util.regex.Pattern.compile(
                            "sift\\.(feedback\\.clustered|cluster\\.labeled)\\.v1|sift\\.feedback\\.(batched|submitted)\\.v1-.*"));
                    while (running) {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    }
                }
            });
        }

        Map<String, FeedbackClustered> clustered(String org) {
            return clusteredRecords(org).stream().collect(Collectors.toMap(FeedbackClustered::feedbackId, c -> c,
                    (a, b) -> b));
        }

        List<FeedbackClustered> clusteredRecords(String org) {
            return records.stream().filter(r -> r.topic().equals(Topics.FEEDBACK_CLUSTERED.name()))
                    .filter(r -> org.equals(r.key()))
                    .map(r -> Topics.FEEDBACK_CLUSTERED.valueSerde().fromJson(r.value())).toList();
        }

        Map<String, ClusterLabeled> labeled(String org) {
            return records.stream().filter(r -> r.topic().equals(Topics.CLUSTER_LABELED.name()))
                    .filter(r -> org.equals(r.key()))
                    .map(r -> Topics.CLUSTER_LABELED.valueSerde().fromJson(r.value()))
                    .collect(Collectors.toMap(ClusterLabeled::clusterId, c -> c, (a, b) -> b));
        }

        ConsumerRecord<String, byte[]> deadLetter(String org) {
            return records.stream().filter(r -> r.topic().equals(Topics.FEEDBACK_BATCHED.deadLetterTopic()))
                    .filter(r -> org.equals(r.key())).findFirst().orElse(null);
        }

        ConsumerRecord<String, byte[]> submittedDeadLetter(String org) {
            return records.stream().filter(r -> r.topic().equals(Topics.FEEDBACK_SUBMITTED.deadLetterTopic()))
                    .filter(r -> org.equals(r.key())).findFirst().orElse(null);
        }

        List<String> cloudEventIds(String topic, String org) {
            return records.stream().filter(r -> r.topic().equals(topic)).filter(r -> org.equals(r.key()))
                    .map(r -> header(r, "ce_id")).toList();
        }

        List<String> topicsSeen() {
            return records.stream().map(ConsumerRecord::topic).distinct().toList();
        }

        @Override
        public void close() {
            running = false;
        }
    }
}
