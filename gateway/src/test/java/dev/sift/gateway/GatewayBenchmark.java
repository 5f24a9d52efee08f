package dev.sift.gateway;

import dev.sift.testing.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Throughput and latency through the gateway against the same downstream called directly, in one
 * run (by hand, not part of the build). Starts a minimal Reactor Netty downstream and the gateway
 * on random loopback ports (rate limit off, token trusted from a PEM file), then runs
 * {@code wrk --latency} for the same duration and connections against both.
 * Args: [seconds=20] [connections=32] [threads=2] [--gateway.property=value ...], or {@code serve}.
 */
public final class GatewayBenchmark {

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean serveOnly = args.length > 0 && args[0].equals("serve");
        int seconds = args.length > 0 && !serveOnly ? Integer.parseInt(args[0]) : 20;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        byte[] body = "{\"id\":\"42\",\"status\":\"PENDING\"}".getBytes(StandardCharsets.UTF_8);
        DisposableServer downstream = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/api/feedback/{id}", (request, response) -> response
                        .header("Content-Type", "application/json")
                        .sendByteArray(Mono.just(body)))
                        // A POST like feedback-service's: reads the whole body, answers 202 with a Location.
                        .post("/api/feedback", (request, response) -> request.receive().aggregate().asByteArray()
                                .flatMap(received -> response.status(202).header("Content-Type", "application/json")
                                        .header("Location", "/api/feedback/42")
                                        .sendByteArray(Mono.just(body)).then())))
                .bindNow();
        TestTokens tokens = TestTokens.generate();
        // Command-line arguments, because gateway.properties outranks builder defaults (it sets port 8080).
        List<String> gatewayArgs = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--sift.gateway.feedback-service-uri=http://127.0.0.1:" + downstream.port(),
                "--sift.gateway.rate-limit.enabled=false",
                "--sift.security.jwt.public-key-locations=" + tokens.publicKeyLocation(),
                "--logging.level.root=WARN",
                "--logging.structured.format.console="));
        // Further arguments go to the gateway, to compare settings (e.g. --management.tracing.enabled=false).
        for (int i = 3; i < args.length; i++) {
            gatewayArgs.add(args[i]);
        }
        ConfigurableApplicationContext gateway = GatewayApplication.builder().run(gatewayArgs.toArray(String[]::new));
        try {
            int gatewayPort = ((WebServerApplicationContext) gateway).getWebServer().getPort();
            String token = tokens.mint("bench-user", "5b0c1a8e-4a0e-4d8f-9a51-3f7f0e1a2b3c", "MEMBER");
            String path = "/api/feedback/42";
            if (serveOnly) {
                // For measuring by hand with other tools: print where everything is, then wait.
                System.out.printf("gateway=%d downstream=%d%ntoken=%s%n", gatewayPort, downstream.port(), token);
                Thread.sleep(Duration.ofMinutes(5));
                return;
            }
            System.out.printf("JVM %s, %d cores; wrk -t%d -c%d -d%ds --latency, same token every request%n",
                    Runtime.version(), Runtime.getRuntime().availableProcessors(), threads, connections, seconds);
            // Warm both paths (JIT, connection pools) before measuring.
            wrk("http://127.0.0.1:" + downstream.port() + path, token, 5, connections, threads, false);
            wrk("http://127.0.0.1:" + gatewayPort + path, token, 5, connections, threads, false);
            System.out.println("=== direct to downstream ===");
            wrk("http://127.0.0.1:" + downstream.port() + path, token, seconds, connections, threads, true);
            System.out.println("=== through the gateway (RS256 verified, rate limit off) ===");
            wrk("http://127.0.0.1:" + gatewayPort + path, token, seconds, connections, threads, true);
        } finally {
            gateway.close();
            downstream.disposeNow();
        }
    }

    private static void wrk(String url, String token, int seconds, int connections, int threads, boolean print)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", "-H", "Authorization: Bearer " + token, url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        if (print) {
            System.out.println(output);
        }
    }
}
