package dev.sift.report.dashboard;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.databind.json.JsonMapper;

/** JSON serde for the topology's own state (never on a contract topic). */
final class JsonSerde {

    private static final JsonMapper JSON = JsonMapper.shared();

    private JsonSerde() {
    }

    static <T> Serde<T> of(Class<T> type) {
        Serializer<T> serializer = (topic, value) -> value == null ? null : JSON.writeValueAsBytes(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : JSON.readValue(bytes, type);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
