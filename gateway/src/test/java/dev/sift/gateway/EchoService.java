package dev.sift.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for a downstream service on a random loopback port: answers every request under
 * {@code /api} with the method, path and headers it received (paths ending in {@code /slow} after 3 s), serves a JWK set that tests can
 * change ({@code /jwks.json}), and counts requests so tests can prove one never arrived.
 */
final class EchoService implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger apiRequests = new AtomicInteger();
    private final AtomicInteger attackerKeyFetches = new AtomicInteger();
    private final AtomicReference<String> jwkSet = new AtomicReference<>("{\"keys\":[]}");

    EchoService() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api", this::echo);
        server.createContext("/jwks.json", exchange -> respond(exchange, 200, "application/json", jwkSet.get()));
        server.createContext("/attacker/jwks.json", exchange -> {
            attackerKeyFetches.incrementAndGet();
            respond(exchange, 200, "application/json", jwkSet.get());
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int apiRequests() {
        return apiRequests.get();
    }

    int attackerKeyFetches() {
        return attackerKeyFetches.get();
    }

    void publishJwkSet(String json) {
        jwkSet.set(json);
    }

    private void echo(HttpExchange exchange) throws IOException {
        apiRequests.incrementAndGet();
        if (exchange.getRequestURI().getRawPath().endsWith("/slow")) {
            // A service that takes longer than the gateway's downstream timeout.
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("method", exchange.getRequestMethod());
        body.put("path", exchange.getRequestURI().getRawPath());
        body.put("query", exchange.getRequestURI().getRawQuery());
        body.put("bodyBytes", requestBody.length);
        body.put("headers", headers);
        respond(exchange, 200, "application/json", JsonMapper.shared().writeValueAsString(body));
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put("Content-Type", List.of(type));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
