package dev.sift.report.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StateSerdesTest {

    final Serde<LectureDay> days = StateSerdes.lectureDays();
    final Serde<StudentProgress> students = StateSerdes.studentProgress();

    @Test
    void aLectureDaySurvivesTheRoundTripWithScalesSignsCurrenciesAndPaymentIds() {
        LectureDay day = new LectureDay("instructor-한글", "lecture-1", LocalDate.parse("2026-11-20"),
                Map.of("KRW", new BigDecimal("-5000"), "USD", new BigDecimal("12.5000"), "EUR",
                        new BigDecimal("123456789012345678901234.01")), 7, 3, 42,
                List.of("evt-1", "결제-2", "0f8fad5b-d9cb-469f-a165-70867728950e"));

        byte[] bytes = days.serializer().serialize("t", day);

        assertThat(bytes[0]).isEqualTo(StateSerdes.DAY_V2);
        LectureDay back = days.deserializer().deserialize("t", bytes);
        assertThat(back.snapshot()).isEqualTo(day.snapshot());
        assertThat(back.countedPayments()).containsExactlyInAnyOrder("evt-1", "결제-2", "0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(back.revenue().get("USD").scale()).isEqualTo(4);
        assertThat(back.addPayment("결제-2", "KRW", BigDecimal.TEN)).as("a counted id counts no more").isFalse();
    }

    @Test
    void anEmptyDayAndBothStudentShapesSurviveTheRoundTrip() {
        LectureDay empty = new LectureDay("i", "l", LocalDate.parse("1970-01-01"));
        LectureDay back = days.deserializer().deserialize("t", days.serializer().serialize("t", empty));
        assertThat(back.snapshot()).isEqualTo(empty.snapshot());
        assertThat(back.countedPayments()).isEmpty();

        for (StudentProgress student : new StudentProgress[] {new StudentProgress(null, true),
                new StudentProgress(LocalDate.parse("2026-02-28"), false)}) {
            assertThat(students.deserializer().deserialize("t", students.serializer().serialize("t", student)))
                    .isEqualTo(student);
        }
    }

    @Test
    void readsTheSessionThreeDayFormatWithoutIds() {
        byte[] instructor = "i".getBytes(StandardCharsets.UTF_8);
        byte[] lecture = "l".getBytes(StandardCharsets.UTF_8);
        byte[] currency = "KRW".getBytes(StandardCharsets.UTF_8);
        byte[] amount = BigDecimal.valueOf(5000).unscaledValue().toByteArray();
        ByteBuffer v1 = ByteBuffer.allocate(1 + 4 + 1 + 4 + 1 + 4 + 24 + 4 + 4 + 3 + 4 + 4 + amount.length)
                .put(StateSerdes.BINARY_V1).putInt(1).put(instructor).putInt(1).put(lecture)
                .putInt((int) LocalDate.parse("2026-11-20").toEpochDay()).putLong(2).putLong(1).putLong(9)
                .putInt(1).putInt(3).put(currency).putInt(0).putInt(amount.length).put(amount);

        LectureDay day = days.deserializer().deserialize("t", v1.array());

        assertThat(day.snapshot()).isEqualTo(new DailyAggregate("i", "l", LocalDate.parse("2026-11-20"),
                Map.of("KRW", BigDecimal.valueOf(5000)), 2, 1, 9));
        assertThat(day.countedPayments()).isEmpty();
    }

    @Test
    void truncatedBinaryIsASerializationError() {
        LectureDay day = new LectureDay("i", "l", LocalDate.parse("2026-11-20"));
        day.addPayment("evt-1", "KRW", BigDecimal.ONE);
        byte[] bytes = days.serializer().serialize("t", day);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> days.deserializer().deserialize("t", truncated)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> students.deserializer().deserialize("t", new byte[] {StateSerdes.BINARY_V1, 0}))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> days.deserializer().deserialize("t", "{\"instructorId\":\"i\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }
}
