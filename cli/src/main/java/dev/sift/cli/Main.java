package dev.sift.cli;

import dev.sift.cli.dlq.DlqCommand;
import dev.sift.cli.load.LoadCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sift} executable. {@link #run} takes its output streams so tests assert what an
 * operator sees and the exit status: 0 success, 1 failure, 2 bad usage.
 */
@Command(name = "sift", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Operate Sift: dead-letter topics, development tokens, demo and benchmark load.",
        subcommands = {CommandLine.HelpCommand.class, DlqCommand.class, LoadCommand.class, TokenCommand.class})
public final class Main implements Runnable {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** Runs one command line and answers its exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    cl.getErr().println("sift: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                    return e instanceof IllegalArgumentException ? USAGE : FAILURE;
                })
                .setParameterExceptionHandler((e, parsedArgs) -> {
                    e.getCommandLine().getErr().println("sift: " + e.getMessage());
                    e.getCommandLine().getErr().println("Try 'sift --help' for more information.");
                    return USAGE;
                });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public void run() {
        // 'sift' alone is a usage error: say what there is to do.
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Reads the version Maven wrote into the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sift " + (version == null ? "development build" : version)};
        }
    }
}
