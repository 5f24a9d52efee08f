package dev.sift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int sift(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void printsHelpAndSucceeds() {
        assertThat(sift("--help")).isEqualTo(Main.OK);
        assertThat(out.toString()).contains("Usage: sift");
    }

    @Test
    void unknownOptionIsBadUsageWithOneLineReason() {
        assertThat(sift("--no-such-option")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).startsWith("sift: Unknown option: '--no-such-option'");
    }

    @Test
    void noSubcommandIsBadUsage() {
        assertThat(sift()).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("a subcommand is required");
    }
}
