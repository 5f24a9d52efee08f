package dev.sift.cli.dlq;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sift dlq}: inspect, replay and skip the records of spring-kafka dead-letter topics ({@code *-dlt}). */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Inspect, replay and skip dead letters (topics named *-dlt).",
            "",
            "Progress of replay and skip is the committed offset of consumer group sift-dlq-replay, one per DLT "
                    + "partition, committed in the same Kafka transaction as the republished records: a crash "
                    + "neither skips nor repeats a record. Records a filter passes over stay pending; records "
                    + "handled beyond them are remembered in the commit's metadata."},
        subcommands = {DlqTopicsCommand.class, DlqListCommand.class, DlqShowCommand.class, DlqReplayCommand.class,
            DlqSkipCommand.class})
public final class DlqCommand implements Runnable {

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a dlq subcommand is required: topics, list, show, replay or skip");
    }
}
