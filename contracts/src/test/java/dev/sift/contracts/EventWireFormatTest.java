package dev.sift.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sift.contracts.bill.BillBatched;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.contracts.bill.BillSummarized;
import dev.sift.contracts.feedback.ClusterLabeled;
import dev.sift.contracts.feedback.FeedbackBatched;
import dev.sift.contracts.feedback.FeedbackClustered;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.QuestionAsked;
import dev.sift.contracts.lecture.ReviewPosted;
import dev.sift.contracts.report.ReportGenerated;
import dev.sift.contracts.report.ReportRequested;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Pins the wire format of every event: a golden file per topic (what producers write and consumers
 * read), its JSON Schema, and the CloudEvents headers. A change that breaks an existing consumer
 * fails here.
 */
class EventWireFormatTest {

    static final String ORG = "0b6d3f8e-5a4c-4b1e-9f3a-2c7d8e9f0a1b";
    static final String FEEDBACK = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    static final String BATCH = "3c9a6b1e-2d4f-5a7c-8e9b-0d1f2a3b4c5d";
    static final String CLUSTER = "9d8c7b6a-5f4e-4d3c-a2b1-0e9f8d7c6b5a";

    static final FeedbackSubmitted SUBMITTED = new FeedbackSubmitted(FEEDBACK, ORG,
            "a7e2c9d4-1b3f-4e5a-8c6d-0f1e2d3c4b5a", "lecture-101", "The pace of week 3 was too fast to follow.",
            Instant.parse("2026-11-01T09:30:00Z"));

    static final String REPORT_REQUEST = "5e0c1a2b-3d4e-4f5a-8b6c-7d8e9f0a1b2c";

    static final BillReceived BILL = new BillReceived("2212345",
            "Act on the Promotion of Small Businesses (partial amendment)", "Kim Minsu and 10 others",
            "Trade, Industry and Energy Committee", LocalDate.parse("2026-10-30"),
            "Proposal reason and main contents ...", Instant.parse("2026-11-01T00:05:00Z"));

    static final Map<Topic<?>, SiftEvent> SAMPLES = Map.ofEntries(
            Map.entry(Topics.FEEDBACK_SUBMITTED, SUBMITTED),
            Map.entry(Topics.FEEDBACK_BATCHED, new FeedbackBatched(BATCH, ORG, FeedbackBatched.ClosedBy.COUNT,
                    Instant.parse("2026-11-01T09:30:00Z"), Instant.parse("2026-11-01T10:02:11.500Z"), List.of(SUBMITTED))),
            Map.entry(Topics.FEEDBACK_CLUSTERED, new FeedbackClustered(FEEDBACK, ORG, CLUSTER, 0.83, BATCH,
                    Instant.parse("2026-11-01T10:02:13Z"))),
            Map.entry(Topics.CLUSTER_LABELED, new ClusterLabeled(CLUSTER, ORG, "Course pace too fast", 12, List.of(FEEDBACK),
                    Instant.parse("2026-11-01T10:02:14Z"))),
            Map.entry(Topics.BILL_RECEIVED, BILL),
            Map.entry(Topics.BILL_BATCHED, new BillBatched("5e2f7a1c-3b4d-3e6f-8a9b-1c2d3e4f5a6b",
                    LocalDate.parse("2026-10-30"), BillBatched.ClosedBy.TIME, Instant.parse("2026-11-01T00:05:00Z"),
                    Instant.parse("2026-11-01T00:05:30Z"), List.of(BILL))),
            Map.entry(Topics.BILL_SUMMARIZED, new BillSummarized("2212345", BillSummarized.Status.COMPLETED,
                    "The bill extends support for small businesses ...", "gpt-4.1-mini", 812, 240, 1,
                    Instant.parse("2026-11-01T00:05:09Z"))),
            Map.entry(Topics.LECTURE_ACTIVITY, new LectureActivityRecorded("evt-000042", LectureActivityRecorded.Type.PAYMENT,
                    "instructor-7", "lecture-101", "student-311", new BigDecimal("49000"), "KRW", null,
                    Instant.parse("2026-11-01T08:00:00Z"))),
            Map.entry(Topics.LECTURE_QUESTION, new QuestionAsked("q-881", "instructor-7", "lecture-101",
                    "Why does the second example use a left join?", Instant.parse("2026-11-01T08:15:00Z"))),
            Map.entry(Topics.LECTURE_REVIEW, new ReviewPosted("r-112", "instructor-7", "lecture-101", 4,
                    "Clear explanations, a bit fast at the end.", Instant.parse("2026-11-01T08:30:00Z"))),
            Map.entry(Topics.REPORT_REQUESTED, new ReportRequested(REPORT_REQUEST, "instructor-7", "2026-11",
                    Instant.parse("2026-11-03T09:00:00Z"))),
            Map.entry(Topics.REPORT_GENERATED, new ReportGenerated(REPORT_REQUEST, "instructor-7", "2026-11",
                    List.of("Clear explanations with worked examples"),
                    List.of("The last third of lecture-101 moves too fast"),
                    List.of("Add a recap of joins before the second example"), "gpt-4.1-mini", 1830, 212, 14, 9,
                    Instant.parse("2026-11-03T09:00:07Z"))));

    static Stream<Arguments> topics() {
        return Topics.ALL.stream().map(topic -> Arguments.of(topic.name(), topic));
    }

    @Test
    void everyContractTopicHasASample() {
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(Topics.ALL).extracting(Topic::name).doesNotHaveDuplicates()
                .allMatch(name -> name.matches("sift\\.[a-z]+\\.[a-z]+\\.v\\d+"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    <V extends SiftEvent> void serialisesExactlyAsTheGoldenFile(String name, Topic<V> topic) throws IOException {
        V sample = topic.valueType().cast(SAMPLES.get(topic));
        JsonNode written = EventJson.MAPPER.readTree(topic.valueSerde().toJson(sample));
        assertThat(written).isEqualTo(EventJson.MAPPER.readTree(resource("golden/" + name + ".json")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    <V extends SiftEvent> void readsTheGoldenFileBackIntoTheSameEvent(String name, Topic<V> topic) throws IOException {
        V read = topic.valueSerde().deserializer().deserialize(name, resource("golden/" + name + ".json"));
        assertThat(read).isEqualTo(SAMPLES.get(topic));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    <V extends SiftEvent> void writesJsonValidAgainstItsSchema(String name, Topic<V> topic) throws IOException {
        V sample = topic.valueType().cast(SAMPLES.get(topic));
        Schema schema = schema(name);
        assertThat(schema.validate(EventJson.MAPPER.readTree(topic.valueSerde().toJson(sample)))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void schemaRejectsAValueWithoutItsRequiredFields(String name, Topic<?> topic) throws IOException {
        assertThat(schema(name).validate(EventJson.MAPPER.readTree("{}"))).isNotEmpty();
    }

    @Test
    void serializerWritesCloudEventsBinaryModeHeaders() {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = Topics.FEEDBACK_SUBMITTED.valueSerde().withSource("/sift/test")
                .serializer().serialize(Topics.FEEDBACK_SUBMITTED.name(), headers, SUBMITTED);

        assertThat(value).isNotEmpty();
        assertThat(CloudEventHeaders.read(headers, "ce_specversion")).contains("1.0");
        assertThat(CloudEventHeaders.read(headers, "ce_type")).contains("dev.sift.feedback.submitted.v1");
        assertThat(CloudEventHeaders.read(headers, "ce_source")).contains("/sift/test");
        assertThat(CloudEventHeaders.read(headers, "ce_time")).contains("2026-11-01T09:30:00Z");
        assertThat(CloudEventHeaders.read(headers, "content-type")).contains("application/json");
        assertThat(CloudEventHeaders.read(headers, "ce_id")).hasValueSatisfying(id -> UUID.fromString(id));
    }

    @Test
    void sameEventGetsSameCloudEventIdAndDifferentEventsDifferentIds() {
        RecordHeaders first = new RecordHeaders();
        RecordHeaders again = new RecordHeaders();
        RecordHeaders other = new RecordHeaders();
        var serializer = Topics.FEEDBACK_SUBMITTED.valueSerde().serializer();
        serializer.serialize("t", first, SUBMITTED);
        serializer.serialize("t", again, SUBMITTED);
        serializer.serialize("t", other, new FeedbackSubmitted(UUID.randomUUID().toString(), ORG, "author", null,
                "other text", SUBMITTED.submittedAt()));

        assertThat(CloudEventHeaders.read(again, "ce_id")).isEqualTo(CloudEventHeaders.read(first, "ce_id"));
        assertThat(CloudEventHeaders.read(other, "ce_id")).isNotEqualTo(CloudEventHeaders.read(first, "ce_id"));
        assertThat(first.headers("ce_id")).hasSize(1);
    }

    @Test
    void omitsAbsentOptionalFields() {
        FeedbackSubmitted withoutLecture = new FeedbackSubmitted(FEEDBACK, ORG, "author", null, "text",
                SUBMITTED.submittedAt());
        String json = new String(Topics.FEEDBACK_SUBMITTED.valueSerde().toJson(withoutLecture), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("lectureId").doesNotContain("null");
    }

    @Test
    void ignoresUnknownFieldsSoAddingAnOptionalFieldBreaksNoConsumer() {
        String json = "{\"feedbackId\":\"f\",\"organizationId\":\"o\",\"authorId\":\"a\",\"text\":\"t\","
                + "\"submittedAt\":\"2026-11-01T09:30:00Z\",\"sentiment\":\"added in a later minor\"}";
        FeedbackSubmitted read = Topics.FEEDBACK_SUBMITTED.valueSerde().fromJson(json.getBytes(StandardCharsets.UTF_8));
        assertThat(read.text()).isEqualTo("t");
    }

    @Test
    void aValueWithoutARequiredFieldDoesNotParse() {
        byte[] json = "{\"feedbackId\":\"f\",\"organizationId\":\"o\",\"text\":\"t\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Topics.FEEDBACK_SUBMITTED.valueSerde().deserializer().deserialize("t", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("dev.sift.feedback.submitted.v1");
    }

    @Test
    void malformedJsonDoesNotParse() {
        byte[] json = "not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Topics.FEEDBACK_SUBMITTED.valueSerde().fromJson(json))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void eventsCheckTheirOwnInvariants() {
        assertThatThrownBy(() -> new ReviewPosted("r", "i", "l", 6, "t", Instant.EPOCH))
                .hasMessageContaining("rating");
        assertThatThrownBy(() -> new LectureActivityRecorded("e", LectureActivityRecorded.Type.REFUND, "i", "l", "s",
                null, null, null, Instant.EPOCH)).hasMessageContaining("amount");
        assertThatThrownBy(() -> new BillSummarized("b", BillSummarized.Status.COMPLETED, null, "m", 0, 0, 1,
                Instant.EPOCH)).hasMessageContaining("summary");
    }

    private static Schema schema(String topicName) throws IOException {
        try (InputStream in = EventWireFormatTest.class.getResourceAsStream("/schemas/" + topicName + ".schema.json")) {
            assertThat(in).as("schema for %s", topicName).isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = EventWireFormatTest.class.getResourceAsStream("/" + path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }
}
