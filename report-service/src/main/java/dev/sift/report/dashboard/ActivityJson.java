package dev.sift.report.dashboard;

import dev.sift.contracts.EventJson;
import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.LectureActivityRecorded.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;

/**
 * Reads {@code sift.lecture.activity.v1} values with Jackson's streaming parser, for the one shape producers
 * send: an object of strings and numbers, {@code occurredAt} as {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}. Anything
 * else (another time form, a number sent as a string, a null, malformed JSON) goes to the contract serde, which
 * decides as it always has, so both paths give the same event or the same error.
 *
 * <p>Why not only the contract serde: data binding cost ~4 µs per event on the benchmark machine, and
 * {@code Instant.parse} alone ~1.4 µs, with a budget of 10–20 µs per event for everything; this path takes
 * well under one. The time is read by hand because no library call parses this fixed form without the
 * general {@code DateTimeFormatter} machinery.
 */
final class ActivityJson implements Deserializer<LectureActivityRecorded> {

    /**
     * The contract mapper's own token factory (same read constraints), but parsers without a data-binding context:
     * creating that context for every record was a fifth of this reader's time.
     */
    private static final TokenStreamFactory JSON = EventJson.MAPPER.tokenStreamFactory();

    @Override
    public @Nullable LectureActivityRecorded deserialize(String topic, byte @Nullable [] data) {
        if (data == null) {
            return null;
        }
        LectureActivityRecorded event;
        try {
            event = read(data);
        } catch (RuntimeException e) {
            // Malformed JSON or a value the record refuses: the contract serde reports it in its own words.
            event = null;
        }
        return event != null ? event : Topics.LECTURE_ACTIVITY.valueSerde().fromJson(data);
    }

    /** The event, or null when the bytes are not in the usual shape (the caller then uses data binding). */
    static @Nullable LectureActivityRecorded read(byte[] json) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String eventId = null, instructorId = null, lectureId = null, studentId = null, currency = null;
            Type type = null;
            BigDecimal amount = null;
            Double progress = null;
            Instant occurredAt = null;
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "eventId", "instructorId", "lectureId", "studentId", "currency", "type", "occurredAt" -> {
                        if (token != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        String text = parser.getString();
                        switch (name) {
                            case "eventId" -> eventId = text;
                            case "instructorId" -> instructorId = text;
                            case "lectureId" -> lectureId = text;
                            case "studentId" -> studentId = text;
                            case "currency" -> currency = text;
                            case "type" -> {
                                type = type(text);
                                if (type == null) {
                                    return null;
                                }
                            }
                            default -> {
                                occurredAt = utcInstant(text);
                                if (occurredAt == null) {
                                    return null;
                                }
                            }
                        }
                    }
                    case "amount" -> {
                        if (!token.isNumeric()) {
                            return null;
                        }
                        amount = parser.getDecimalValue();
                    }
                    case "progress" -> {
                        if (!token.isNumeric()) {
                            return null;
                        }
                        progress = parser.getDoubleValue();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            if (eventId == null || type == null || instructorId == null || lectureId == null || studentId == null
                    || occurredAt == null) {
                return null;
            }
            return new LectureActivityRecorded(eventId, type, instructorId, lectureId, studentId, amount, currency,
                    progress, occurredAt);
        }
    }

    private static @Nullable Type type(String name) {
        return switch (name) {
            case "ENROLLED" -> Type.ENROLLED;
            case "PAYMENT" -> Type.PAYMENT;
            case "REFUND" -> Type.REFUND;
            case "PROGRESS" -> Type.PROGRESS;
            default -> null;
        };
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ssZ} with an optional fraction of 1–9 digits, the form {@code Instant.toString()}
     * writes; null for anything else, including a leap second or an offset, which the contract serde handles.
     */
    static @Nullable Instant utcInstant(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fractionDigits = length - 21;
            int fraction = digits(text, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 if any of it is not an ASCII digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
