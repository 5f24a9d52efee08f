package dev.sift.ai;

import java.util.Locale;

/**
 * The {@code status} of a Responses API response. {@code failed} and {@code incomplete} are answers, not errors:
 * the provider said HTTP 200 and the generation did not produce what was asked, so callers branch on them.
 */
public enum ResponseStatus {
    QUEUED, IN_PROGRESS, COMPLETED, FAILED, INCOMPLETE, CANCELLED;

    /** Will not change any more: polling it again is wasted. */
    public boolean terminal() {
        return this != QUEUED && this != IN_PROGRESS;
    }

    /** {@code in_progress} → {@link #IN_PROGRESS}; an unknown value counts as still running. */
    public static ResponseStatus of(String wire) {
        try {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return IN_PROGRESS;
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
