package dev.sift.cli.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sift load}: realistic demo and benchmark data, straight to the topics or through the gateway. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Produce realistic events straight to Sift's topics (with the contract serdes and CloudEvents "
                + "headers) or POST them through the gateway.",
        subcommands = {LoadFeedbackCommand.class, LoadBillsCommand.class, LoadActivityCommand.class})
public final class LoadCommand implements Runnable {

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a load subcommand is required: feedback, bills or activity");
    }
}
