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

/** {@code sift dlq skip}: mark dead letters as dealt with, without republishing them. */
@Command(name = "skip", mixinStandardHelpOptions = true,
        description = "Mark the pending records that match the filters as done without republishing them: "
                + "replay will not touch them again. They stay in the topic for list and show.")
final class DlqSkipCommand implements Callable<Integer> {

    @Mixin
    @SuppressWarnings("NullAway.Init")
    KafkaOptions kafka;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    DeadLetterFilter filter;

    @Parameters(index = "0", paramLabel = "DLT", description = "The dead-letter topic.")
    @SuppressWarnings("NullAway.Init")
    String topic;

    @Option(names = "--max", paramLabel = "N", description = "Skip at most N records.")
    @Nullable Long max;

    @Option(names = "--dry-run", description = "Only say what would be skipped, by exception and original topic.")
    boolean dryRun;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new IllegalArgumentException("--max must be at least 1");
        }
        filter.resolve(Clock.systemUTC());
        DeadLetterReplayer.Plan plan = new DeadLetterReplayer.Plan(topic, DeadLetterReplayer.Mode.SKIP, filter, null,
                null, max, null, dryRun);
        return ReplayReport.run(kafka, plan, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
