package dev.sift.cli.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.cli.Main;
import dev.sift.contracts.CloudEventHeaders;
import dev.sift.contracts.Topic;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.testing.KafkaTestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sift load} produces contract events, with CloudEvents headers, to the real broker. */
class LoadCommandsIT {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int sift(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-server=" + KafkaTestBroker.bootstrapServers());
        return Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    }

    @Test
    void loadsClincFeedbackFromATsvFile(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("clinc.tsv");
        Files.writeString(tsv, "text\tintent\nhow would you say fly in italian\ttranslate\n"
                + "what's the spanish word for pasta\ttranslate\n\nwhat is my balance\tbalance\n");
        Map<TopicPartition, Long> before = ends(Topics.FEEDBACK_SUBMITTED);

        assertThat(sift("load", "feedback", "--file", tsv.toString(), "--orgs", "2")).isZero();
        assertThat(out.toString()).contains("Sent 3 feedback to sift.feedback.submitted.v1");

        List<ConsumerRecord<String, byte[]>> records = readFrom(Topics.FEEDBACK_SUBMITTED, before);
        assertThat(records).hasSize(3);
        List<String> texts = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            FeedbackSubmitted feedback = Topics.FEEDBACK_SUBMITTED.valueSerde().fromJson(record.value());
            assertThat(record.key()).isEqualTo(feedback.organizationId());
            assertThat(CloudEventHeaders.read(record.headers(), CloudEventHeaders.TYPE))
                    .contains("dev.sift.feedback.submitted.v1");
            assertThat(CloudEventHeaders.read(record.headers(), CloudEventHeaders.SOURCE)).contains("/sift/cli");
            texts.add(feedback.text());
        }
        assertThat(texts).containsExactlyInAnyOrder("how would you say fly in italian",
                "what's the spanish word for pasta", "what is my balance");
        assertThat(records).extracting(ConsumerRecord::key).allMatch(LoadSubcommand.organizations(2)::contains);
    }

    @Test
    void generatesValidLectureActivity() {
        Map<TopicPartition, Long> before = ends(Topics.LECTURE_ACTIVITY);

        assertThat(sift("load", "activity", "--generate", "50", "--orgs", "4")).isZero();

        List<ConsumerRecord<String, byte[]>> records = readFrom(Topics.LECTURE_ACTIVITY, before);
        assertThat(records).hasSize(50);
        List<LectureActivityRecorded> events = records.stream()
                .map(r -> Topics.LECTURE_ACTIVITY.valueSerde().fromJson(r.value())).toList();
        assertThat(events).extracting(LectureActivityRecorded::instructorId).allMatch(LoadSubcommand.organizations(4)::contains);
        assertThat(events).extracting(LectureActivityRecorded::type).contains(LectureActivityRecorded.Type.ENROLLED,
                LectureActivityRecorded.Type.PAYMENT);
    }

    @Test
    void missingFileAndBothSourcesAreBadUsage(@TempDir Path dir) {
        assertThat(sift("load", "feedback", "--file", dir.resolve("nope.tsv").toString())).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--file: no such file");
        assertThat(sift("load", "bills", "--file", "x", "--generate", "3")).isEqualTo(Main.USAGE);
        assertThat(sift("load", "activity", "--generate", "3", "--via-gateway", "http://127.0.0.1:1", "--token", "t"))
                .isEqualTo(Main.USAGE);
    }

    private static Map<TopicPartition, Long> ends(Topic<?> topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            return consumer.endOffsets(partitions);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readFrom(Topic<?> topic, Map<TopicPartition, Long> from) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            partitions.forEach(p -> consumer.seek(p, from.getOrDefault(p, 0L)));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, Topic<?> topic) {
        return consumer.partitionsFor(topic.name()).stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
