package dev.sift.deploy;

import java.util.List;
import java.util.Map;

/** Null-tolerant navigation in parsed YAML: a path of map keys, a missing step yields null. */
final class Nodes {

    private Nodes() {
    }

    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }

    static String string(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? null : String.valueOf(value);
    }
}
