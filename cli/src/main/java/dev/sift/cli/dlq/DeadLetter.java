package dev.sift.cli.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A record of a dead-letter topic with spring-kafka's failure headers decoded: spring-kafka writes
 * the original partition, offset and timestamp as big-endian binary numbers, the rest as UTF-8.
 * Headers from spring-kafka 2.x ({@code kafka_dlt-*}) are read where the 3.x/4.x names are absent.
 */
record DeadLetter(ConsumerRecord<byte[], byte[]> record) {

    static final String ORIGINAL_TOPIC = "kafka_original-topic";
    static final String ORIGINAL_PARTITION = "kafka_original-partition";
    static final String ORIGINAL_OFFSET = "kafka_original-offset";
    static final String ORIGINAL_TIMESTAMP = "kafka_original-timestamp";
    static final String EXCEPTION_FQCN = "kafka_exception-fqcn";
    static final String EXCEPTION_CAUSE_FQCN = "kafka_exception-cause-fqcn";
    static final String EXCEPTION_MESSAGE = "kafka_exception-message";
    static final String ATTEMPTS = "retry_topic-attempts";
    static final String REPLAYED_FROM = "sift-replayed-from";
    static final String REPLAY_COUNT = "sift-replay-count";
    static final String PARKED_FROM = "sift-parked-from";

    /** Headers whose value spring-kafka writes as a big-endian int or long. */
    private static final Set<String> BINARY_NUMBERS = Set.of(ORIGINAL_PARTITION, ORIGINAL_OFFSET, ORIGINAL_TIMESTAMP,
            "kafka_dlt-original-partition", "kafka_dlt-original-offset", "kafka_dlt-original-timestamp",
            ATTEMPTS, "retry_topic-backoff-timestamp", "retry_topic-original-timestamp");

    String topic() {
        return record.topic();
    }

    int partition() {
        return record.partition();
    }

    long offset() {
        return record.offset();
    }

    /** {@code <dlt>:<partition>:<offset>}, the value of {@code sift-replayed-from}. */
    String coordinates() {
        return record.topic() + ":" + record.partition() + ":" + record.offset();
    }

    Instant timestamp() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    @Nullable String key() {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Nullable String originalTopic() {
        return text(ORIGINAL_TOPIC);
    }

    @Nullable Long originalPartition() {
        return number(ORIGINAL_PARTITION);
    }

    @Nullable Long originalOffset() {
        return number(ORIGINAL_OFFSET);
    }

    @Nullable Long originalTimestamp() {
        return number(ORIGINAL_TIMESTAMP);
    }

    @Nullable String exceptionClass() {
        return text(EXCEPTION_FQCN);
    }

    @Nullable String exceptionCause() {
        return text(EXCEPTION_CAUSE_FQCN);
    }

    @Nullable String exceptionMessage() {
        return text(EXCEPTION_MESSAGE);
    }

    @Nullable Long attempts() {
        return number(ATTEMPTS);
    }

    /** How many times {@code sift dlq replay} has republished this record before (0 if never). */
    int replayCount() {
        String count = header(record.headers(), REPLAY_COUNT);
        if (count == null) {
            return 0;
        }
        try {
            return Integer.parseInt(count.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The last value of a text header, trying the spring-kafka 2.x name ({@code kafka_dlt-…}) second. */
    @Nullable String text(String name) {
        String value = header(record.headers(), name);
        return value != null || !name.startsWith("kafka_") ? value
                : header(record.headers(), "kafka_dlt-" + name.substring("kafka_".length()));
    }

    @Nullable Long number(String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null && name.startsWith("kafka_")) {
            header = record.headers().lastHeader("kafka_dlt-" + name.substring("kafka_".length()));
        }
        return header == null ? null : decodeNumber(header.value());
    }

    /** Every header, decoded: known binary numbers as numbers, UTF-8 text as text, anything else as base64. */
    Map<String, Object> decodedHeaders() {
        Map<String, Object> decoded = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            Object value = decode(header);
            // A repeated header (spring-kafka appends on a second failure) keeps its last value, as lastHeader reads it.
            decoded.put(header.key(), value);
        }
        return decoded;
    }

    private static Object decode(Header header) {
        byte[] value = header.value();
        if (value == null) {
            return "";
        }
        if (BINARY_NUMBERS.contains(header.key())) {
            Long number = decodeNumber(value);
            if (number != null) {
                return number;
            }
        }
        String text = utf8(value);
        return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(value);
    }

    private static @Nullable Long decodeNumber(byte @Nullable [] value) {
        if (value == null) {
            return null;
        }
        return switch (value.length) {
            case Byte.BYTES -> (long) value[0];
            case Integer.BYTES -> (long) ByteBuffer.wrap(value).getInt();
            case Long.BYTES -> ByteBuffer.wrap(value).getLong();
            default -> {
                // Some producers write numbers as text.
                String text = utf8(value);
                try {
                    yield text == null ? null : Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }

    static @Nullable String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static @Nullable String utf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                    return null;
                }
            }
            return text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
