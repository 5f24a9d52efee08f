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
            awaitLine(output, stack, LocalStack.DEMO_TOKEN_PREFIX, Duration.ofSeconds(10));

            String token = output.stream().filter(line -> line.startsWith(LocalStack.DEMO_TOKEN_PREFIX))
                    .map(line -> line.substring(LocalStack.DEMO_TOKEN_PREFIX.length())).findFirst().orElseThrow();
            assertThat(token.split("\\.")).hasSize(3);

            // Through the gateway with the demo token: accepted, then readable from the read model.
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/api/feedback"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"The local stack works end to end\"}"))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String location = accepted.headers().firstValue("Location").orElseThrow();
            awaitOk("http://127.0.0.1:8080" + location, token, Duration.ofSeconds(30));

            // Guest tokens are issued, and a guest may not submit feedback.
            HttpResponse<String> guest = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/auth/guest"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(guest.statusCode()).isEqualTo(200);
            assertThat(guest.body()).contains("\"token_type\":\"Bearer\"");

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
            if (output.stream().anyMatch(line -> line.startsWith(expected))) {
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

    private void awaitOk(String url, String token, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("GET " + url + " answered " + status + " for " + timeout);
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
