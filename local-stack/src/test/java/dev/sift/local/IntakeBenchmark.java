package dev.sift.local;

import dev.sift.testing.AiProviderStandIn;
import dev.sift.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feedback intake on the real local stack ({@code sift-local.jar} as a child process, embedded broker,
 * this run's Postgres database), driven by {@code wrk}. Run by hand, not part of {@code verify}:
 * <pre>java -cp &lt;local-stack test classpath&gt; dev.sift.local.IntakeBenchmark [seconds=20] [connections=100]</pre>
 * from the {@code local-stack} directory after {@code package}.
 *
 * <p>Two stacks are started one after the other, identical except for the embedding provider: an HTTP stand-in
 * for Voyage's {@code /v1/embeddings} that answers at once, then one that takes 2 seconds per call (seed 000's
 * figure). Batches close after 1 s instead of 2 h so the clustering worker really calls the slow provider while
 * the load runs. Each stack is warmed up (45 s of POSTs through the gateway, 15 s direct, 15 s of GETs), then: {@code POST /api/feedback} through the gateway and
 * straight to feedback-service, and (first stack) {@code GET /api/feedback/{id}} through the gateway and
 * straight to the service — issue 3's gateway-versus-direct comparison on a real service. The gateway's rate
 * limit is raised so the one demo token is not throttled. wrk, the gateway, the services, the broker and
 * Postgres all share this machine's cores.
 */
public final class IntakeBenchmark {

    private static final Path POST_SCRIPT = Path.of("..", "bench", "feedback-post.lua");
    private static final Path SUMMARY_SCRIPT = Path.of("..", "bench", "summary.lua");
    private static final int WARM_UP_SECONDS = 45;

    private IntakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        System.out.printf("JVM %s, %d cores; wrk -t2 -c%d -d%ds per row%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), connections, seconds);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Duration providerLatency : List.of(Duration.ZERO, Duration.ofSeconds(2))) {
            try (AiProviderStandIn provider = new AiProviderStandIn().latency(providerLatency)) {
                String label = "embedding provider " + providerLatency.toMillis() + " ms";
                try (LocalStackProcess stack = LocalStackProcess.start(TestDatabase.get().url(),
                        "--sift.ai.embedding.provider=voyage", "--sift.ai.embedding.base-url=" + provider.baseUrl(),
                        "--sift.ai.embedding.api-key=benchmark", "--sift.batching.max-wait=PT1S",
                        "--sift.gateway.rate-limit.capacity=100000000", "--sift.gateway.rate-limit.refill-tokens=100000000")) {
                    String token = stack.awaitReadyAndDemoToken();
                    // Warm-up: the gateway ran ~5 times slower in its first minute (JIT compilation of a very large
                    // code path; measured with GatewayBenchmark), so every path is driven before it is measured.
                    wrk(POST_SCRIPT, "http://127.0.0.1:8080/api/feedback", token, WARM_UP_SECONDS, connections);
                    wrk(POST_SCRIPT, "http://127.0.0.1:8081/api/feedback", token, WARM_UP_SECONDS / 3, connections);
                    int before = provider.received().size();
                    rows.put("POST via gateway, " + label,
                            wrk(POST_SCRIPT, "http://127.0.0.1:8080/api/feedback", token, seconds, connections));
                    rows.get("POST via gateway, " + label).put("embedding_calls_during_run",
                            String.valueOf(provider.received().size() - before));
                    rows.put("POST direct, " + label,
                            wrk(POST_SCRIPT, "http://127.0.0.1:8081/api/feedback", token, seconds, connections));
                    if (providerLatency.isZero()) {
                        String path = firstFeedback(token);
                        wrk(SUMMARY_SCRIPT, "http://127.0.0.1:8080" + path, token, WARM_UP_SECONDS / 3, connections);
                        rows.put("GET feedback via gateway", wrk(SUMMARY_SCRIPT, "http://127.0.0.1:8080" + path, token,
                                seconds, connections));
                        rows.put("GET feedback direct", wrk(SUMMARY_SCRIPT, "http://127.0.0.1:8081" + path, token,
                                seconds, connections));
                    }
                }
            }
        }
        System.out.printf("%n%-44s %8s %9s %9s %9s %7s %s%n", "run", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "non2xx",
                "embedding calls");
        rows.forEach((name, row) -> System.out.printf("%-44s %8s %9s %9s %9s %7s %s%n", name, row.get("rps"),
                row.get("p50_ms"), row.get("p99_ms"), row.get("p99.9_ms"), row.get("non2xx"),
                row.getOrDefault("embedding_calls_during_run", "")));
        System.exit(0);
    }

    /** Posts one feedback and returns its {@code Location}, for the GET runs. */
    private static String firstFeedback(String token) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> accepted = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/api/feedback"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"A feedback to read back\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String location = accepted.headers().firstValue("Location").orElseThrow(() ->
                new IllegalStateException("POST answered " + accepted.statusCode() + ": " + accepted.body()));
        for (int attempt = 0; attempt < 100; attempt++) { // until the read model has it
            int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8081" + location))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return location;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(location + " never became readable");
    }

    /** Runs wrk and returns the {@code name=value} lines the script's {@code done} prints. */
    private static Map<String, String> wrk(Path script, String url, String token, int seconds, int connections)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), "-H", "Authorization: Bearer " + token, url));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TOKEN", token);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            for (String pair : line.trim().split(" ")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
        }
        if (!values.containsKey("rps")) {
            throw new IllegalStateException("wrk printed no summary:\n" + output);
        }
        return values;
    }
}
