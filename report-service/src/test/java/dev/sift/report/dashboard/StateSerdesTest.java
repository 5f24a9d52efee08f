package dev.sift.report.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StateSerdesTest {

    final Serde<DailyAggregate> daily = StateSerdes.dailyAggregates();
    final Serde<StudentProgress> students = StateSerdes.studentProgress();

    @Test
    void aDailyAggregateSurvivesTheRoundTripWithScalesSignsAndCurrencies() {
        DailyAggregate day = new DailyAggregate("instructor-한글", "lecture-1", LocalDate.parse("2026-11-20"),
                Map.of("KRW", new BigDecimal("-5000"), "USD", new BigDecimal("12.5000"), "EUR",
                        new BigDecimal("123456789012345678901234.01")), 7, 3, 42);

        byte[] bytes = daily.serializer().serialize("t", day);

        assertThat(bytes[0]).isEqualTo(StateSerdes.BINARY_V1);
        DailyAggregate back = daily.deserializer().deserialize("t", bytes);
        assertThat(back).isEqualTo(day);
        assertThat(back.revenue().get("USD").scale()).isEqualTo(4);
    }

    @Test
    void anEmptyDayAndBothStudentShapesSurviveTheRoundTrip() {
        DailyAggregate empty = DailyAggregate.empty("i", "l", LocalDate.parse("1970-01-01"));
        assertThat(daily.deserializer().deserialize("t", daily.serializer().serialize("t", empty))).isEqualTo(empty);

        for (StudentProgress student : new StudentProgress[] {new StudentProgress(null, true),
                new StudentProgress(LocalDate.parse("2026-02-28"), false)}) {
            assertThat(students.deserializer().deserialize("t", students.serializer().serialize("t", student)))
                    .isEqualTo(student);
        }
    }

    @Test
    void truncatedBinaryIsASerializationError() {
        byte[] bytes = daily.serializer().serialize("t", DailyAggregate.empty("i", "l", LocalDate.parse("2026-11-20")));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> daily.deserializer().deserialize("t", truncated)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> students.deserializer().deserialize("t", new byte[] {StateSerdes.BINARY_V1, 0}))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> daily.deserializer().deserialize("t", "{\"instructorId\":\"i\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }
}
