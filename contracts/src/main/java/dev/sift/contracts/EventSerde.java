package dev.sift.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * JSON serde for one event type that also writes the CloudEvents binary-mode headers.
 *
 * <p>{@code ce_id} is a name-based UUID of the type and the JSON bytes, so re-publishing the same
 * event (a retried send, a redelivered batch) yields the same id and consumers can deduplicate on
 * it. {@code ce_source} comes from the {@value #SOURCE_CONFIG} client property (default
 * {@code /sift}).
 */
public final class EventSerde<V extends SiftEvent> implements Serde<V> {

    /** Producer property naming this producer in {@code ce_source}, e.g. {@code /sift/feedback-service}. */
    public static final String SOURCE_CONFIG = "sift.cloudevents.source";

    private final Class<V> type;
    private final String cloudEventType;
    private volatile String source = "/sift";

    EventSerde(Class<V> type, String cloudEventType) {
        this.type = type;
        this.cloudEventType = cloudEventType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public Class<V> type() {
        return type;
    }

    /** A copy whose serializer stamps {@code ce_source} with the given producer name. */
    public EventSerde<V> withSource(String producerSource) {
        EventSerde<V> copy = new EventSerde<>(type, cloudEventType);
        copy.source = producerSource;
        return copy;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object configured = configs.get(SOURCE_CONFIG);
        if (configured != null) {
            source = configured.toString();
        }
    }

    /** Serialises a value to its wire JSON, without headers (for golden files and tests). */
    public byte[] toJson(V value) {
        try {
            return EventJson.MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new SerializationException("Cannot serialise " + type.getSimpleName(), e);
        }
    }

    /** Parses wire JSON; a missing required field or malformed JSON is a {@link SerializationException}. */
    public V fromJson(byte[] json) {
        try {
            return EventJson.MAPPER.readValue(json, type);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new SerializationException("Not a valid " + cloudEventType + " value: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<V> serializer() {
        return new Serializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                EventSerde.this.configure(configs, isKey);
            }

            @Override
            public byte @Nullable [] serialize(String topic, @Nullable V data) {
                return serialize(topic, new RecordHeaders(), data);
            }

            @Override
            public byte @Nullable [] serialize(String topic, Headers headers, @Nullable V data) {
                if (data == null) {
                    return null;
                }
                byte[] json = toJson(data);
                String id = UUID.nameUUIDFromBytes(concat(cloudEventType, json)).toString();
                CloudEventHeaders.write(headers, id, cloudEventType, source, data.eventTime().toString());
                return json;
            }
        };
    }

    @Override
    public Deserializer<V> deserializer() {
        return new Deserializer<>() {
            @Override
            public @Nullable V deserialize(String topic, byte @Nullable [] data) {
                return data == null ? null : fromJson(data);
            }
        };
    }

    private static byte[] concat(String prefix, byte[] json) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 1 + json.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = '\n';
        System.arraycopy(json, 0, all, head.length + 1, json.length);
        return all;
    }
}
