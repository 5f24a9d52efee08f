package dev.sift.cli.dlq;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON output of the {@code dlq} commands: one indented document per command. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {
    }

    static String write(Object document) {
        return MAPPER.writeValueAsString(document);
    }

    /** A record value as JSON if it is JSON, else as text, else as base64. */
    static Object value(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (JacksonException e) {
            // not JSON: fall through
        }
        String text = DeadLetter.utf8(bytes);
        return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(bytes);
    }

    static String pretty(byte[] bytes) {
        Object value = value(bytes);
        return value instanceof JsonNode node ? MAPPER.writeValueAsString(node) : value.toString();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
