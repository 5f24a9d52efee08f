package dev.sift.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes travel as
 * {@code ce_*} headers and the record value is the bare event JSON.
 *
 * <p>Written by hand rather than with the CloudEvents SDK: the SDK's Kafka serializer wants a
 * {@code CloudEvent} envelope as the record value, while Sift's producers and Kafka Streams
 * topologies work with typed records; the binding itself is six fixed headers.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }

    static void write(Headers headers, String id, String type, String source, String time) {
        put(headers, SPEC_VERSION, "1.0");
        put(headers, ID, id);
        put(headers, TYPE, type);
        put(headers, SOURCE, source);
        put(headers, TIME, time);
        put(headers, CONTENT_TYPE, JSON);
    }

    /** The last value of a header as UTF-8 text. */
    public static Optional<String> read(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
