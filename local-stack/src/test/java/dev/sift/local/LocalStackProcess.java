package dev.sift.local;

import dev.sift.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The README's run command as a child process — {@code java -jar local-stack/target/sift-local.jar} with
 * its embedded broker on 127.0.0.1:9092 — against a Postgres database, with its output collected line by
 * line (and copied to a temporary log file). Used by {@code LocalStackIT} and the benchmarks.
 */
final class LocalStackProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "sift-local.jar");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private LocalStackProcess(Process process) {
        this.process = process;
    }

    /** Starts the stack against {@code dbUrl} with the test database's credentials and these arguments. */
    static LocalStackProcess start(String dbUrl, String... arguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SIFT_KAFKA_BOOTSTRAP");
        builder.environment().put("SIFT_DB_URL", dbUrl);
        builder.environment().put("SIFT_DB_USER", TestDatabase.get().user());
        builder.environment().put("SIFT_DB_PASSWORD", TestDatabase.get().password());
        LocalStackProcess stack = new LocalStackProcess(builder.start());
        Path log = Files.createTempFile("sift-local", ".log");
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(stack.process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    stack.output.add(line);
                    Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return stack;
    }

    long pid() {
        return process.pid();
    }

    List<String> output() {
        return output;
    }

    Process process() {
        return process;
    }

    /** Waits for a line starting with {@code expected}; fails with the last lines if the stack exits or time runs out. */
    void awaitLine(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(line -> line.startsWith(expected))) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("sift-local exited with " + process.exitValue() + ":\n" + lastLines());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + expected + "' within " + timeout + "; last lines:\n" + lastLines());
    }

    /** Waits until the stack is ready and returns the demo token it printed. */
    String awaitReadyAndDemoToken() throws InterruptedException {
        awaitLine(LocalStack.READY_LINE, Duration.ofSeconds(150));
        awaitLine(LocalStack.DEMO_TOKEN_PREFIX, Duration.ofSeconds(10));
        return output.stream().filter(line -> line.startsWith(LocalStack.DEMO_TOKEN_PREFIX))
                .map(line -> line.substring(LocalStack.DEMO_TOKEN_PREFIX.length())).findFirst().orElseThrow();
    }

    /** SIGTERM, as Ctrl-C's shutdown path; true when it stopped within the timeout. */
    boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !stop(Duration.ofSeconds(60))) {
            process.destroyForcibly();
        }
    }

    private String lastLines() {
        return String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
    }
}
