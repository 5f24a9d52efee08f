package dev.sift.cli.dlq;

import java.io.Console;
import java.io.PrintWriter;

/** A one-line progress bar for {@code replay} and {@code skip}, drawn only when standard output is a terminal. */
final class ProgressBar implements DeadLetterReplayer.ProgressListener {

    private static final int WIDTH = 30;
    private final PrintWriter out;
    private long lastDrawn;

    private ProgressBar(PrintWriter out) {
        this.out = out;
    }

    static DeadLetterReplayer.ProgressListener on(PrintWriter out) {
        return stdoutIsTerminal() ? new ProgressBar(out) : DeadLetterReplayer.ProgressListener.NONE;
    }

    @Override
    public void progressed(long examined, long total) {
        long now = System.nanoTime();
        if (examined < total && now - lastDrawn < 100_000_000L) {
            return;
        }
        lastDrawn = now;
        int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, examined * WIDTH / total);
        out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + examined + "/" + total);
        if (examined >= total) {
            out.println();
        }
        out.flush();
    }

    /**
     * Since JDK 22 {@link System#console()} exists even when output is redirected and
     * {@code Console.isTerminal()} tells the difference; the jar targets Java 21, so ask reflectively.
     */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
