package dev.sift.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's run command for real — {@code java -jar local-stack/target/sift-local.jar} as a
 * child process with its embedded broker on 127.0.0.1:9092 — against this run's Postgres database,
 * and checks what a user relies on: the ready line, every service's health groups and metrics, and a
 * clean stop on SIGTERM.
 */
class LocalStackIT {

    private static final Path JAR = Path.of("target", "sift-local.jar");
    private static final List<Integer> PORTS = List.of(8080, 8081, 8082, 8083, 8084);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void startsEveryServiceReadyThenStopsCleanlyOnSigterm() throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        List<String> output = new CopyOnWriteArrayList<>();
        Process stack = start(TestDatabase.get().url(), output);
        try {
            awaitLine(output, stack, LocalStack.READY_LINE, Duration.ofSeconds(150));

            for (int port : PORTS) {
                assertThat(get(port, "/actuator/health/readiness")).contains("\"status\":\"UP\"");
                assertThat(get(port, "/actuator/health/liveness")).contains("\"status\":\"UP\"");
                assertThat(get(port, "/actuator/prometheus")).contains("jvm_memory_used_bytes");
            }
        } finally {
            stack.destroy(); // SIGTERM, as Ctrl-C's shutdown path
            assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        }
        assertThat(stack.descendants().filter(ProcessHandle::isAlive).count()).isZero();
        for (int port : PORTS) {
            assertThat(isListening(port)).as("port %d released", port).isFalse();
        }
    }

    @Test
    void exitsWithOneLineReasonWhenPostgresIsUnreachable() throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        Process stack = start("postgresql://127.0.0.1:1/sift", output);
        assertThat(stack.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(stack.exitValue()).isEqualTo(1);
        assertThat(output).anySatisfy(line -> assertThat(line)
                .startsWith("sift-local: Postgres is not reachable at postgresql://127.0.0.1:1/sift")
                .contains("pg_ctlcluster"));
    }

    private Process start(String dbUrl, List<String> output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                JAR.toString()).redirectErrorStream(true);
        builder.environment().remove("SIFT_KAFKA_BOOTSTRAP");
        builder.environment().put("SIFT_DB_URL", dbUrl);
        builder.environment().put("SIFT_DB_USER", TestDatabase.get().user());
        builder.environment().put("SIFT_DB_PASSWORD", TestDatabase.get().password());
        Process process = builder.start();
        Path log = Files.createTempFile("sift-local-it", ".log");
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                    Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return process;
    }

    private static void awaitLine(List<String> output, Process process, String expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output.contains(expected)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("sift-local exited with " + process.exitValue() + ":\n"
                        + String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size())));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + expected + "' within " + timeout + "; last lines:\n"
                + String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size())));
    }

    private String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET :%d%s", port, path).isEqualTo(200);
        return response.body();
    }

    private static boolean isListening(int port) {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
