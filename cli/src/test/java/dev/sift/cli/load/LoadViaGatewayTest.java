package dev.sift.cli.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sift.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --via-gateway} POSTs the contract's REST bodies with the bearer token, to a stand-in gateway on port 0. */
class LoadViaGatewayTest {

    record Request(String method, String path, String authorization, String idempotencyKey, String body) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HttpServer server;

    private String gateway(int status) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] body = status == 202 ? "{\"status\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8)
                    : "{\"title\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void postsBillsWithTheBearerToken() throws Exception {
        String url = gateway(202);
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), "load", "bills", "--generate", "3",
                "--via-gateway", url, "--token", "tok-123");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("Sent 3 bills to " + url);
        assertThat(requests).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/bills");
            assertThat(r.authorization()).isEqualTo("Bearer tok-123");
            assertThat(r.body()).contains("\"billId\"", "\"proposedAt\"", "\"committee\"").doesNotContain("receivedAt");
        });
    }

    @Test
    void postsFeedbackTextAndFailsWithOneLineWhenTheGatewayRefuses() throws Exception {
        String url = gateway(401);
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), "load", "feedback", "--generate", "2",
                "--via-gateway", url, "--token", "expired");

        assertThat(status).isEqualTo(Main.FAILURE);
        assertThat(err.toString()).startsWith("sift: 2 of 2 requests failed; first: 401").hasLineCount(1);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/api/feedback");
            assertThat(r.idempotencyKey()).isNotBlank();
            assertThat(r.body()).contains("\"text\"").doesNotContain("organizationId");
        });
    }

    @Test
    void viaGatewayWithoutATokenIsBadUsage() {
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), "load", "feedback", "--generate", "2",
                "--via-gateway", "http://127.0.0.1:1");
        assertThat(status).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--via-gateway needs --token");
    }
}
