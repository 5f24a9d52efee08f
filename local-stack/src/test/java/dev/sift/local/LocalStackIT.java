package dev.sift.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's run command for real — {@code java -jar local-stack/target/sift-local.jar} as a
 * child process with its embedded broker on 127.0.0.1:9092 — against this run's Postgres database,
 * and checks what a user relies on: the ready line, every service's health groups and metrics, and a
 * clean stop on SIGTERM.
 */
class LocalStackIT {

    private static final List<Integer> PORTS = List.of(8080, 8081, 8082, 8083, 8084);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void startsEveryServiceReadyThenStopsCleanlyOnSigterm() throws Exception {
        assertThat(LocalStackProcess.JAR).as("built by the package phase").exists();
        LocalStackProcess stack = LocalStackProcess.start(TestDatabase.get().url());
        try {
            String token = stack.awaitReadyAndDemoToken();
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
            assertThat(stack.stop(Duration.ofSeconds(60))).as("stopped within 60 s").isTrue();
        }
        assertThat(stack.process().descendants().filter(ProcessHandle::isAlive).count()).isZero();
        for (int port : PORTS) {
            assertThat(isListening(port)).as("port %d released", port).isFalse();
        }
    }

    @Test
    void exitsWithOneLineReasonWhenPostgresIsUnreachable() throws Exception {
        LocalStackProcess stack = LocalStackProcess.start("postgresql://127.0.0.1:1/sift");
        assertThat(stack.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(stack.process().exitValue()).isEqualTo(1);
        assertThat(stack.output()).anySatisfy(line -> assertThat(line)
                .startsWith("sift-local: Postgres is not reachable at postgresql://127.0.0.1:1/sift")
                .contains("pg_ctlcluster"));
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
