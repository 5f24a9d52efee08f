package dev.sift.report.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.LectureActivityRecorded.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming reader gives what the contract serde gives, for the usual shape and, by falling back, any other. */
class ActivityJsonTest {

    final ActivityJson reader = new ActivityJson();

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"eventId\":\"evt-000042\",\"type\":\"PAYMENT\",\"instructorId\":\"instructor-7\",\"lectureId\":\"lecture-101\","
                    + "\"studentId\":\"student-311\",\"amount\":49000,\"currency\":\"KRW\",\"occurredAt\":\"2026-11-01T08:00:00Z\"}",
            "{\"occurredAt\":\"2026-11-01T08:00:00.123456789Z\",\"type\":\"REFUND\",\"amount\":-12.50,\"currency\":\"usd\","
                    + "\"eventId\":\"e\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\"}",
            "{\"eventId\":\"e\",\"type\":\"PROGRESS\",\"instructorId\":\"강사\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"progress\":1,\"occurredAt\":\"2024-02-29T23:59:59.5Z\",\"extra\":{\"nested\":[1,{\"a\":null}]}}",
            "{\"eventId\":\"e\",\"type\":\"ENROLLED\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"amount\":1e3,\"progress\":0.25,\"occurredAt\":\"0001-01-01T00:00:00.000Z\",\"type\":\"PAYMENT\",\"currency\":\"KRW\"}",
    })
    void readsTheUsualShapeOnItsOwnAndLikeTheContractSerde(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThat(ActivityJson.read(bytes)).as("the streaming path handles it").isNotNull();
        assertThat(reader.deserialize("t", bytes)).isEqualTo(Topics.LECTURE_ACTIVITY.valueSerde().fromJson(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // Another time form, numbers as strings, a string as a number: data binding decides.
            "{\"eventId\":\"e\",\"type\":\"PAYMENT\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"amount\":\"49000\",\"currency\":\"KRW\",\"occurredAt\":\"2026-11-01T17:00:00+09:00\"}",
            "{\"eventId\":42,\"type\":\"PROGRESS\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"progress\":\"0.5\",\"occurredAt\":\"2026-11-01T08:00:00Z\"}",
            "{\"eventId\":\"e\",\"type\":\"ENROLLED\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"currency\":null,\"occurredAt\":\"2026-11-01t08:00:00z\"}",
    })
    void leavesOtherShapesToTheContractSerde(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThat(ActivityJson.read(bytes)).isNull();
        assertThat(sameOutcome(bytes)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"PAYMENT\"}",
            "{\"eventId\":\"e\",\"type\":\"PAYMENT\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"occurredAt\":\"2026-11-01T08:00:00Z\"}",
            "{\"eventId\":\"e\",\"type\":\"PROGRESS\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"progress\":1.5,\"occurredAt\":\"2026-11-01T08:00:00Z\"}",
            "{\"eventId\":\"e\",\"type\":\"BOUGHT\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"occurredAt\":\"2026-11-01T08:00:00Z\"}",
            "{\"eventId\":\"\",\"type\":\"ENROLLED\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"occurredAt\":\"2026-11-01T08:00:00Z\"}",
            "{\"eventId\":\"e\",\"type\":\"ENROLLED\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"occurredAt\":\"2026-02-30T08:00:00Z\"}",
            "{\"eventId\":\"e\",\"type\":\"ENROLLED\",\"instructorId\":\"i\",\"lectureId\":\"l\",\"studentId\":\"s\","
                    + "\"occurredAt\":\"2026-11-01T08:00:00Z\"",
            "[1,2]",
            "not json",
    })
    void refusesWhatTheContractSerdeRefuses(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Topics.LECTURE_ACTIVITY.valueSerde().fromJson(bytes)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> reader.deserialize("t", bytes)).isInstanceOf(SerializationException.class);
    }

    @Test
    void readsWhatTheContractSerdeWrites() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            // Years 0001–9999, and nanos that Instant.toString() writes with 0, 3, 6 or 9 digits.
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), nanos);
            LectureActivityRecorded event = new LectureActivityRecorded("evt-" + i, Type.values()[i % 4], "instructor",
                    "lecture", "student", BigDecimal.valueOf(random.nextLong(-1_000_000, 1_000_000), random.nextInt(4)),
                    "KRW", random.nextDouble(), at);
            byte[] bytes = Topics.LECTURE_ACTIVITY.valueSerde().toJson(event);

            assertThat(ActivityJson.read(bytes)).as("%s", new String(bytes, StandardCharsets.UTF_8)).isEqualTo(event);
        }
    }

    @Test
    void theTimeReaderAgreesWithInstantParseOrDeclines() {
        for (String text : new String[] {"2026-11-01T08:00:00Z", "1970-01-01T00:00:00.000000001Z", "2000-02-29T12:30:59.9Z",
                "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z"}) {
            assertThat(ActivityJson.utcInstant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : new String[] {"2026-11-01T08:00:00+00:00", "2026-11-01T24:00:00Z", "2026-11-01T08:00:60Z",
                "2026-13-01T08:00:00Z", "2025-02-29T08:00:00Z", "2026-11-01T08:00:00.Z", "2026-11-01T08:00:00.1234567890Z",
                "2026-11-01 08:00:00Z", "+12026-11-01T08:00:00Z", "2026-1-01T08:00:00Z"}) {
            assertThat(ActivityJson.utcInstant(text)).as(text).isNull();
        }
    }

    private boolean sameOutcome(byte[] bytes) {
        LectureActivityRecorded expected;
        try {
            expected = Topics.LECTURE_ACTIVITY.valueSerde().fromJson(bytes);
        } catch (SerializationException e) {
            try {
                reader.deserialize("t", bytes);
                return false;
            } catch (SerializationException also) {
                return true;
            }
        }
        return expected.equals(reader.deserialize("t", bytes));
    }
}
