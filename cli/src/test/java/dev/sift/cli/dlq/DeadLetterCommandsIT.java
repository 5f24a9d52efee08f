package dev.sift.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sift.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code dlq} commands through {@link Main#run}, on a real broker, over dead letters a real listener wrote. */
class DeadLetterCommandsIT {

    private static final List<String> KEYS = List.of("org-1", "org-2", "org-3", "org-1", "org-2", "org-3", "org-1",
            "org-2", "org-3", "org-1");
    private static final List<String> KINDS = List.of("timeout", "poison", "timeout", "poison", "timeout", "poison",
            "timeout", "poison", "timeout", "poison");

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int sift(DeadLetterFixture fixture, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-server=" + fixture.bootstrap());
        return Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    }

    private static final String LISTENER_GROUP = "it-listener-" + UUID.randomUUID();
    private static final Map<String, DeadLetterFixture> FIXTURES = new HashMap<>();

    /** Ten dead letters per test, each test its own topics, all made by one failing listener. */
    @BeforeAll
    static void deadLetters() {
        for (String name : List.of("list", "show", "show-missing", "replay-twice", "replay-filter", "replay-max",
                "replay-crash", "fenced", "dry-run", "skip", "park", "topics")) {
            FIXTURES.put(name, new DeadLetterFixture(name).produce(KEYS, KINDS));
        }
        DeadLetterFixture.runListenerUntilDeadLetters(List.copyOf(FIXTURES.values()), LISTENER_GROUP, KEYS.size());
    }

    private static DeadLetterFixture tenDeadLetters(String name) {
        return FIXTURES.get(name);
    }

    @Test
    void listsDeadLettersAndFiltersThem() {
        DeadLetterFixture dlq = tenDeadLetters("list");

        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters)).isZero();
        assertThat(out.toString()).contains("PARTITION:OFFSET", "10 matching records", dlq.source, "pending");

        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--exception", "IllegalStateException")).isZero();
        assertThat(out.toString()).contains("5 matching records");
        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--exception", "upstream timeout")).isZero();
        assertThat(out.toString()).contains("5 matching records");
        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--key", "org-1")).isZero();
        assertThat(out.toString()).contains("4 matching records").doesNotContain("org-2");
        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--original-topic", "elsewhere")).isZero();
        assertThat(out.toString()).contains("0 matching records");
        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--original-topic", dlq.source, "--since", "PT1H")).isZero();
        assertThat(out.toString()).contains("10 matching records");
        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--until", "PT1H")).isZero();
        assertThat(out.toString()).contains("0 matching records");
        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--limit", "2")).isZero();
        assertThat(out.toString()).contains("2 of 10 matching records shown");

        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--key", "org-2", "--json")).isZero();
        JsonNode json = Json.MAPPER.readTree(out.toString());
        assertThat(json.get("matched").asInt()).isEqualTo(3);
        assertThat(json.get("records")).hasSize(3);
        assertThat(json.get("records").get(0).get("key").asString()).isEqualTo("org-2");
        assertThat(json.get("records").get(0).get("originalTopic").asString()).isEqualTo(dlq.source);
        assertThat(json.get("records").get(0).get("status").asString()).isEqualTo("pending");
    }

    @Test
    void showsEveryHeaderDecodedAndTheValuePretty() {
        DeadLetterFixture dlq = tenDeadLetters("show");
        ConsumerRecord<String, byte[]> first = dlq.read(dlq.deadLetters, false).get(0);
        String coordinates = first.partition() + ":" + first.offset();

        assertThat(sift(dlq, "dlq", "show", dlq.deadLetters, coordinates, "--json")).isZero();
        JsonNode json = Json.MAPPER.readTree(out.toString());
        assertThat(json.get("originalTopic").asString()).isEqualTo(dlq.source);
        // spring-kafka writes partition and offset as binary; decoded they match where the record sat.
        assertThat(json.get("originalPartition").asInt()).isEqualTo(first.partition());
        assertThat(json.get("originalOffset").isNumber()).isTrue();
        assertThat(json.get("originalTimestamp").asLong()).isPositive();
        assertThat(json.get("exceptionClass").asString()).isNotBlank();
        assertThat(json.get("exceptionCause").asString()).isIn(IllegalStateException.class.getName(),
                IllegalArgumentException.class.getName());
        assertThat(json.get("exceptionMessage").asString()).containsAnyOf("upstream timeout", "poison record");
        assertThat(json.get("replayCount").asInt()).isZero();
        assertThat(json.get("headers").get("ce_type").asString()).isEqualTo("dev.sift.test.v1");
        // spring-kafka 4.0's DeadLetterPublishingRecoverer writes the kafka_dlt-* names.
        assertThat(json.get("headers").get("kafka_dlt-original-offset").isNumber()).isTrue();
        assertThat(json.get("value").get("kind").asString()).isIn("timeout", "poison");

        assertThat(sift(dlq, "dlq", "show", dlq.deadLetters, coordinates)).isZero();
        assertThat(out.toString()).contains("original topic:     " + dlq.source, "original partition: " + first.partition(),
                "exception:", "value:", "\"kind\" : ");
    }

    @Test
    void showOfAMissingRecordFailsAndMalformedCoordinatesAreBadUsage() {
        DeadLetterFixture dlq = tenDeadLetters("show-missing");

        assertThat(sift(dlq, "dlq", "show", dlq.deadLetters, "0:999")).isEqualTo(Main.FAILURE);
        assertThat(err.toString()).startsWith("sift: no record at 0:999").hasLineCount(1);
        assertThat(sift(dlq, "dlq", "show", dlq.deadLetters, "zero")).isEqualTo(Main.USAGE);
        assertThat(sift(dlq, "dlq", "show", "no-such-topic-dlt", "0:0")).isEqualTo(Main.FAILURE);
        assertThat(err.toString()).contains("no such topic: no-such-topic-dlt");
    }

    @Test
    void replayRepublishesEachDeadLetterOnceEvenWhenRunTwice() {
        DeadLetterFixture dlq = tenDeadLetters("replay-twice");

        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters)).isZero();
        assertThat(out.toString()).contains("Replayed 10 records", "Pending: 0");
        assertThat(err.toString()).contains("had no progress for " + dlq.deadLetters);
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters)).isZero();
        assertThat(out.toString()).contains("Replayed 0 records", "10 already replayed");
        assertThat(err.toString()).isEmpty();

        List<String> replayedFrom = dlq.replayedFrom(false);
        assertThat(replayedFrom).hasSize(10).doesNotHaveDuplicates()
                .allMatch(from -> from.startsWith(dlq.deadLetters + ":"));
        List<ConsumerRecord<String, byte[]>> replayed = dlq.read(dlq.source, false).stream()
                .filter(r -> r.headers().lastHeader(DeadLetter.REPLAYED_FROM) != null).toList();
        for (ConsumerRecord<String, byte[]> record : replayed) {
            assertThat(text(record.headers().lastHeader(DeadLetter.REPLAY_COUNT))).isEqualTo("1");
            assertThat(text(record.headers().lastHeader("ce_type"))).isEqualTo("dev.sift.test.v1");
            assertThat(record.headers()).noneMatch(h -> h.key().startsWith("kafka_"));
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).startsWith("{\"n\":");
        }
        assertThat(replayed).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(KEYS);

        assertThat(sift(dlq, "dlq", "topics", "--json")).isZero();
        JsonNode topic = topicRow(dlq);
        assertThat(topic.get("records").asInt()).isEqualTo(10);
        assertThat(topic.get("pending").asInt()).isZero();
    }

    @Test
    void replayWithAFilterLeavesTheRestPendingForALaterRun() {
        DeadLetterFixture dlq = tenDeadLetters("replay-filter");

        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--exception", "upstream timeout")).isZero();
        assertThat(out.toString()).contains("Replayed 5 records", "5 left pending: not matching --exception upstream timeout");
        assertThat(dlq.replayedFrom(false)).hasSize(5);
        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--pending", "--json")).isZero();
        JsonNode pending = Json.MAPPER.readTree(out.toString());
        assertThat(pending.get("matched").asInt()).isEqualTo(5);
        pending.get("records").forEach(r -> assertThat(r.get("exceptionMessage").asString()).contains("poison"));

        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--key", "org-1")).isZero();
        assertThat(out.toString()).contains("Replayed 2 records");
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters)).isZero();
        assertThat(out.toString()).contains("Replayed 3 records", "7 already replayed", "Pending: 0");
        assertThat(dlq.replayedFrom(false)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void replayStoppedByMaxResumesWhereItStopped() {
        DeadLetterFixture dlq = tenDeadLetters("replay-max");

        for (int run = 0; run < 3; run++) {
            assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--max", "3", "--rate", "1000/s")).isZero();
            assertThat(out.toString()).contains("Replayed 3 records", "Stopped at --max 3");
        }
        assertThat(dlq.replayedFrom(false)).hasSize(9).doesNotHaveDuplicates();
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--max", "3")).isZero();
        assertThat(out.toString()).contains("Replayed 1 record ", "Pending: 0");
        assertThat(dlq.replayedFrom(false)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void aCrashBetweenSendAndCommitNeitherSkipsNorRepeats() {
        DeadLetterFixture dlq = tenDeadLetters("replay-crash");
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--max", "4")).isZero();

        DeadLetterFilter all = new DeadLetterFilter();
        DeadLetterReplayer.Plan plan = new DeadLetterReplayer.Plan(dlq.deadLetters, DeadLetterReplayer.Mode.REPLAY, all,
                null, null, null, null, false);
        RuntimeException crash = new RuntimeException("simulated crash");
        java.util.Map<String, Object> config = java.util.Map.of("bootstrap.servers", dlq.bootstrap());
        DeadLetterReplayer crashing = new DeadLetterReplayer(config, plan, DeadLetterReplayer.ProgressListener.NONE,
                (producer, transaction) -> {
                    if (transaction == 1) {
                        return; // the first transaction only renews the progress commits
                    }
                    // The records were sent and acknowledged; the process dies before the commit.
                    producer.flush();
                    producer.close(java.time.Duration.ZERO);
                    throw crash;
                });
        try {
            crashing.run();
        } catch (RuntimeException e) {
            assertThat(e).isSameAs(crash);
        }
        // The crashed run did write its records: only the transaction keeps them from committed readers.
        assertThat(dlq.replayedFrom(true).size()).isGreaterThan(4);

        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters)).isZero();
        assertThat(out.toString()).contains("Replayed 6 records", "4 already replayed", "Pending: 0");
        assertThat(dlq.replayedFrom(false)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void aSecondReplayFencesARunningOneAndNothingIsRepeated() {
        DeadLetterFixture dlq = tenDeadLetters("fenced");
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--max", "4")).isZero();
        DeadLetterReplayer.Plan plan = new DeadLetterReplayer.Plan(dlq.deadLetters, DeadLetterReplayer.Mode.REPLAY,
                new DeadLetterFilter(), null, null, null, null, false);
        int[] second = {-1};
        String[] secondOut = {""};
        DeadLetterReplayer first = new DeadLetterReplayer(Map.of("bootstrap.servers", dlq.bootstrap()), plan,
                DeadLetterReplayer.ProgressListener.NONE, (producer, transaction) -> {
                    if (transaction == 2) {
                        // Another operator starts the same replay while this one is about to commit.
                        producer.flush();
                        second[0] = sift(dlq, "dlq", "replay", dlq.deadLetters);
                        secondOut[0] = out.toString();
                    }
                });

        assertThatThrownBy(first::run).isInstanceOf(DeadLetterException.class);
        assertThat(second[0]).isZero();
        assertThat(secondOut[0]).contains("Replayed 6 records", "Pending: 0");
        assertThat(dlq.replayedFrom(false)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void dryRunShowsAHistogramAndChangesNothing() {
        DeadLetterFixture dlq = tenDeadLetters("dry-run");

        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--dry-run")).isZero();
        assertThat(out.toString()).contains("Dry run: would replay 10 records", "by exception:", "by original topic:",
                "      10  " + dlq.source, "Pending now: 10");
        assertThat(sift(dlq, "dlq", "skip", dlq.deadLetters, "--dry-run", "--key", "org-3")).isZero();
        assertThat(out.toString()).contains("Dry run: would skip 3 records");
        assertThat(dlq.replayedFrom(true)).isEmpty();
        assertThat(sift(dlq, "dlq", "list", dlq.deadLetters, "--pending")).isZero();
        assertThat(out.toString()).contains("10 matching records");
    }

    @Test
    void skipAdvancesPastRecordsWithoutReplayingThem() {
        DeadLetterFixture dlq = tenDeadLetters("skip");

        assertThat(sift(dlq, "dlq", "skip", dlq.deadLetters, "--exception", "poison")).isZero();
        assertThat(out.toString()).contains("Skipped 5 records", "Pending: 5");
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters)).isZero();
        assertThat(out.toString()).contains("Replayed 5 records", "5 already replayed, parked or skipped");
        assertThat(dlq.replayedFrom(false)).hasSize(5);
        assertThat(dlq.read(dlq.source, false).stream()
                .filter(r -> r.headers().lastHeader(DeadLetter.REPLAYED_FROM) != null)
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)))
                .allMatch(value -> value.contains("timeout"));
    }

    @Test
    void recordsReplayedTooOftenAreParkedInsteadOfLooping() {
        DeadLetterFixture dlq = tenDeadLetters("park");
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--key", "org-1")).isZero();
        // The listener fails the four replayed records again: they return to the DLT carrying sift-replay-count 1.
        DeadLetterFixture.runListenerUntilDeadLetters(List.of(dlq), LISTENER_GROUP, 14);

        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--max-replays", "1")).isZero();
        assertThat(out.toString()).contains("Replayed 6 records", "parked 4 to " + dlq.deadLetters + "-parked",
                "Pending: 0");
        List<ConsumerRecord<String, byte[]>> parked = dlq.read(dlq.deadLetters + "-parked", false);
        assertThat(parked).hasSize(4).allMatch(r -> "org-1".equals(r.key()));
        assertThat(parked).allMatch(r -> text(r.headers().lastHeader(DeadLetter.REPLAY_COUNT)).equals("1")
                && r.headers().lastHeader(DeadLetter.PARKED_FROM) != null
                && r.headers().lastHeader("kafka_dlt-exception-fqcn") != null);
        assertThat(dlq.replayedFrom(false)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void topicsListsDeadLetterTopicsWithPendingCounts() {
        DeadLetterFixture dlq = tenDeadLetters("topics");
        assertThat(sift(dlq, "dlq", "skip", dlq.deadLetters, "--key", "org-2")).isZero();

        assertThat(sift(dlq, "dlq", "topics")).isZero();
        assertThat(out.toString()).contains("TOPIC", "PENDING", dlq.deadLetters);
        assertThat(sift(dlq, "dlq", "topics", "--json")).isZero();
        JsonNode topic = topicRow(dlq);
        assertThat(topic.get("partitions").asInt()).isEqualTo(DeadLetterFixture.PARTITIONS);
        assertThat(topic.get("records").asInt()).isEqualTo(10);
        assertThat(topic.get("pending").asInt()).isEqualTo(7);
        assertThat(topic.get("oldest").asString()).isNotBlank();
        assertThat(topic.get("newest").asString()).isGreaterThanOrEqualTo(topic.get("oldest").asString());
    }

    @Test
    void badOptionsAreUsageErrorsAndAMissingTopicAFailure() {
        DeadLetterFixture dlq = new DeadLetterFixture("usage");

        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--since", "yesterday")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).startsWith("sift: --since: 'yesterday' is neither").hasLineCount(1);
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--rate", "fast")).isEqualTo(Main.USAGE);
        assertThat(sift(dlq, "dlq", "replay", dlq.deadLetters, "--to", "no-such-target")).isEqualTo(Main.USAGE);
        assertThat(sift(dlq, "dlq", "replay", "no-such-topic-dlt")).isEqualTo(Main.FAILURE);
        assertThat(err.toString()).isEqualTo("sift: no such topic: no-such-topic-dlt" + System.lineSeparator());
        assertThat(sift(dlq, "dlq")).isEqualTo(Main.USAGE);
    }

    private JsonNode topicRow(DeadLetterFixture dlq) {
        JsonNode topics = Json.MAPPER.readTree(out.toString()).get("topics");
        List<JsonNode> rows = new ArrayList<>();
        topics.forEach(rows::add);
        return rows.stream().filter(t -> t.get("topic").asString().equals(dlq.deadLetters)).findFirst().orElseThrow();
    }

    private static String text(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }

}
