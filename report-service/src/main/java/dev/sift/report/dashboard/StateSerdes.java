package dev.sift.report.dashboard;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Compact binary serdes for the dashboard topology's own state stores (never on a contract topic).
 *
 * <p>Written by hand because every event reads and writes these values, often several times, and Jackson was a
 * fifth of the stream thread's time in the 1M-event benchmark; the values are two small shapes, so a
 * schema library (Avro, Protobuf) would add a registry or generated code for no gain. The first byte is a format
 * version ({@link #BINARY_V1}, {@link #DAY_V2}), so a later format can still read this one.
 */
final class StateSerdes {

    static final byte BINARY_V1 = 1;
    /** The lecture day with its counted payment and refund ids (session 4). */
    static final byte DAY_V2 = 2;
    private static final int NO_DAY = Integer.MIN_VALUE;

    private StateSerdes() {
    }

    static Serde<LectureDay> lectureDays() {
        Serializer<LectureDay> serializer = (topic, value) -> value == null ? null : write(value);
        Deserializer<LectureDay> deserializer = (topic, bytes) -> bytes == null ? null : readLectureDay(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    static Serde<StudentProgress> studentProgress() {
        Serializer<StudentProgress> serializer = (topic, value) -> value == null ? null : write(value);
        Deserializer<StudentProgress> deserializer = (topic, bytes) -> bytes == null ? null : readStudentProgress(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** {@link #DAY_V2}: the {@link #BINARY_V1} day (totals, revenue), then the counted payment and refund ids. */
    static byte[] write(LectureDay value) {
        byte[] instructor = utf8(value.instructorId());
        byte[] lecture = utf8(value.lectureId());
        int size = 1 + 4 + instructor.length + 4 + lecture.length + 4 + 8 * 3 + 4 + 4;
        byte[][] currencies = new byte[value.revenue().size()][];
        byte[][] amounts = new byte[value.revenue().size()][];
        int i = 0;
        for (Map.Entry<String, BigDecimal> revenue : value.revenue().entrySet()) {
            currencies[i] = utf8(revenue.getKey());
            amounts[i] = revenue.getValue().unscaledValue().toByteArray();
            size += 4 + currencies[i].length + 4 + 4 + amounts[i].length;
            i++;
        }
        byte[][] ids = new byte[value.countedPayments().size()][];
        i = 0;
        for (String id : value.countedPayments()) {
            ids[i] = utf8(id);
            size += 4 + ids[i].length;
            i++;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(DAY_V2);
        putBytes(out, instructor);
        putBytes(out, lecture);
        out.putInt((int) value.day().toEpochDay())
                .putLong(value.enrollments()).putLong(value.completions()).putLong(value.version())
                .putInt(currencies.length);
        i = 0;
        for (BigDecimal amount : value.revenue().values()) {
            putBytes(out, currencies[i]);
            out.putInt(amount.scale());
            putBytes(out, amounts[i]);
            i++;
        }
        out.putInt(ids.length);
        for (byte[] id : ids) {
            putBytes(out, id);
        }
        return out.array();
    }

    /** Reads {@link #DAY_V2} and the session-3 {@link #BINARY_V1} day, which had no ids (a window store had them). */
    static LectureDay readLectureDay(byte[] bytes) {
        if (bytes.length == 0 || (bytes[0] != BINARY_V1 && bytes[0] != DAY_V2)) {
            throw new SerializationException("Not a dashboard lecture day in format " + BINARY_V1 + " or " + DAY_V2);
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            String instructor = getString(in);
            String lecture = getString(in);
            LocalDate day = LocalDate.ofEpochDay(in.getInt());
            long enrollments = in.getLong();
            long completions = in.getLong();
            long version = in.getLong();
            int currencies = in.getInt();
            Map<String, BigDecimal> revenue = new TreeMap<>();
            for (int i = 0; i < currencies; i++) {
                String currency = getString(in);
                int scale = in.getInt();
                revenue.put(currency, new BigDecimal(new BigInteger(getBytes(in)), scale));
            }
            List<String> ids = new ArrayList<>();
            if (bytes[0] == DAY_V2) {
                int count = in.getInt();
                if (count < 0 || count > in.remaining() / 4) {
                    throw new SerializationException("Bad id count " + count);
                }
                for (int i = 0; i < count; i++) {
                    ids.add(getString(in));
                }
            }
            if (in.hasRemaining()) {
                throw new SerializationException(in.remaining() + " trailing bytes");
            }
            return new LectureDay(instructor, lecture, day, revenue, enrollments, completions, version, ids);
        } catch (RuntimeException e) {
            throw new SerializationException("Not a dashboard lecture day", e);
        }
    }

    static byte[] write(StudentProgress value) {
        LocalDate enrolledOn = value.enrolledOn();
        return ByteBuffer.allocate(6).put(BINARY_V1)
                .putInt(enrolledOn == null ? NO_DAY : (int) enrolledOn.toEpochDay())
                .put((byte) (value.completed() ? 1 : 0)).array();
    }

    static StudentProgress readStudentProgress(byte[] bytes) {
        if (bytes.length != 6 || bytes[0] != BINARY_V1) {
            throw new SerializationException("Not a dashboard student progress: " + bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, 5);
        int day = in.getInt();
        @Nullable LocalDate enrolledOn = day == NO_DAY ? null : LocalDate.ofEpochDay(day);
        return new StudentProgress(enrolledOn, in.get() == 1);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static byte[] getBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new SerializationException("Bad length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String getString(ByteBuffer in) {
        return new String(getBytes(in), StandardCharsets.UTF_8);
    }
}
