package dev.sift.contracts;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks for event constructors: a record that lacks a required field must fail to
 * deserialize, so it reaches the dead-letter topic instead of a batch.
 */
public final class Require {

    private Require() {
    }

    public static <T> T present(@Nullable T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    public static String text(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must not be blank");
        }
        return value;
    }

    public static <T> List<T> list(@Nullable List<T> value, String field) {
        return List.copyOf(present(value, field));
    }
}
