package dev.sift.cli.dlq;

import dev.sift.cli.kafka.KafkaOptions;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift dlq replay}: republish dead letters to where they failed, exactly once. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Republish the pending records of a dead-letter topic that match the filters to their "
                + "original topic (header kafka_dlt-original-topic or kafka_original-topic) or --to: key, value and the producer's headers, "
                + "without spring-kafka's failure headers, plus sift-replayed-from=<dlt>:<partition>:<offset> and "
                + "sift-replay-count incremented.",
            "",
            "Exactly once and resumable: records and the progress of consumer group sift-dlq-replay commit in one "
                + "Kafka transaction, so an interrupted replay resumes where its last commit ended and a second "
                + "replay finds nothing to do. Records the filters pass over stay pending for a later replay or "
                + "skip. Only records present when the replay starts are considered."})
final class DlqReplayCommand implements Callable<Integer> {

    @Mixin
    @SuppressWarnings("NullAway.Init")
    KafkaOptions kafka;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    DeadLetterFilter filter;

    @Parameters(index = "0", paramLabel = "DLT", description = "The dead-letter topic.")
    @SuppressWarnings("NullAway.Init")
    String topic;

    @Option(names = "--to", paramLabel = "TOPIC", description = "Republish here instead of the original topic.")
    @Nullable String to;

    @Option(names = "--rate", paramLabel = "N/s", description = "At most N records per second, e.g. 500 or 500/s.")
    @Nullable String rate;

    @Option(names = "--max", paramLabel = "N", description = "Replay (or park) at most N records, then stop.")
    @Nullable Long max;

    @Option(names = "--max-replays", paramLabel = "K",
            description = "Park records already replayed K times (sift-replay-count >= K) to <dlt>-parked "
                    + "instead of replaying them again.")
    @Nullable Integer maxReplays;

    @Option(names = "--dry-run", description = "Only say what would happen, by exception and original topic.")
    boolean dryRun;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new IllegalArgumentException("--max must be at least 1");
        }
        if (maxReplays != null && maxReplays < 1) {
            throw new IllegalArgumentException("--max-replays must be at least 1");
        }
        if (topic.equals(to)) {
            throw new IllegalArgumentException("--to must not be the dead-letter topic itself");
        }
        filter.resolve(Clock.systemUTC());
        DeadLetterReplayer.Plan plan = new DeadLetterReplayer.Plan(topic, DeadLetterReplayer.Mode.REPLAY, filter, to,
                parseRate(rate), max, maxReplays, dryRun);
        return ReplayReport.run(kafka, plan, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static @Nullable Double parseRate(@Nullable String rate) {
        if (rate == null) {
            return null;
        }
        String number = rate.endsWith("/s") ? rate.substring(0, rate.length() - 2) : rate;
        try {
            double perSecond = Double.parseDouble(number);
            if (perSecond > 0) {
                return perSecond;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--rate: expected records per second such as 500 or 500/s, got '" + rate + "'");
    }
}
