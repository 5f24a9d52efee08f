package dev.sift.cli.dlq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The record filters {@code list}, {@code replay} and {@code skip} share. All given filters must
 * match; none given matches every record.
 */
final class DeadLetterFilter {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");

    @Option(names = "--key", paramLabel = "KEY", description = "Only records with exactly this key.")
    @Nullable String key;

    @Option(names = "--exception", paramLabel = "TEXT",
            description = "Only records whose exception class, cause class or message contains TEXT.")
    @Nullable String exception;

    @Option(names = "--original-topic", paramLabel = "TOPIC",
            description = "Only records that failed on this topic (header kafka_dlt-original-topic or kafka_original-topic).")
    @Nullable String originalTopic;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only dead letters at or after TIME: an ISO instant (2026-11-22T01:00:00Z) "
                    + "or a duration back from now (PT1H, P2D, 30m).")
    @Nullable String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only dead letters before TIME (same forms as --since).")
    @Nullable String until;

    private @Nullable Instant sinceInstant;
    private @Nullable Instant untilInstant;
    private boolean resolved;

    /** Parses the time filters against now; a malformed one is bad usage. */
    DeadLetterFilter resolve(Clock clock) {
        sinceInstant = since == null ? null : parseTime("--since", since, clock);
        untilInstant = until == null ? null : parseTime("--until", until, clock);
        resolved = true;
        return this;
    }

    boolean isEmpty() {
        return key == null && exception == null && originalTopic == null && since == null && until == null;
    }

    boolean matches(DeadLetter letter) {
        if (!resolved) {
            resolve(Clock.systemUTC());
        }
        if (key != null && !key.equals(letter.key())) {
            return false;
        }
        if (originalTopic != null && !originalTopic.equals(letter.originalTopic())) {
            return false;
        }
        if (exception != null && !contains(letter.exceptionClass()) && !contains(letter.exceptionCause())
                && !contains(letter.exceptionMessage())) {
            return false;
        }
        Instant at = letter.timestamp();
        if (sinceInstant != null && at.isBefore(sinceInstant)) {
            return false;
        }
        return untilInstant == null || at.isBefore(untilInstant);
    }

    /** The filters as given, for messages ("--exception Timeout --key org-1"). */
    String describe() {
        StringBuilder text = new StringBuilder();
        append(text, "--key", key);
        append(text, "--exception", exception);
        append(text, "--original-topic", originalTopic);
        append(text, "--since", since);
        append(text, "--until", until);
        return text.isEmpty() ? "(no filters)" : text.toString().trim();
    }

    private boolean contains(@Nullable String text) {
        return text != null && exception != null && text.contains(exception);
    }

    private static void append(StringBuilder text, String option, @Nullable String value) {
        if (value != null) {
            text.append(' ').append(option).append(' ').append(value);
        }
    }

    static Instant parseTime(String option, String value, Clock clock) {
        String trimmed = value.trim();
        try {
            if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
                return clock.instant().minus(Duration.parse(trimmed.toUpperCase(Locale.ROOT)));
            }
            Matcher shortForm = SHORT_DURATION.matcher(trimmed);
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                Duration duration = switch (shortForm.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
                return clock.instant().minus(duration);
            }
            return Instant.parse(trimmed);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(option + ": '" + value
                    + "' is neither an ISO instant (2026-11-22T01:00:00Z) nor a duration (PT1H, P2D, 30m)");
        }
    }
}
