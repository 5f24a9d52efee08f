package dev.sift.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A faithful HTTP stand-in for the OpenAI and Voyage embeddings endpoint ({@code POST /v1/embeddings}) on a
 * random local port, speaking the request and response shapes of docs/providers.md: {@code data[].index},
 * {@code data[].embedding}, {@code usage}; data in reverse order (Voyage may answer in any order); scripted
 * latency, 5xx, 4xx and 429 with {@code Retry-After}; error bodies {@code {"error": {...}}}.
 *
 * <p>It also answers the synchronous Responses API ({@code POST /v1/responses} without {@code background}):
 * a completed response object ({@code id}, {@code object: "response"}, {@code status}, {@code model},
 * {@code output[].content[]} of type {@code output_text}, {@code usage}). With a {@code text.format} JSON Schema
 * the text is a JSON object that fills every required property of the schema (see {@link #responseText}). One
 * provider, one set of knobs: latency and scripted failures apply to both endpoints, as an outage would;
 * {@link #received()} lists embedding requests and {@link #responses()} Responses requests.
 *
 * <p>Its vectors are a deterministic bag of words hashed into {@value #DIMENSIONS} dimensions and normalised, so
 * texts that share words are similar and a test can predict clusters.
 */
public final class AiProviderStandIn implements AutoCloseable {

    public static final int DIMENSIONS = 64;

    private volatile long maxInputTokens = Long.MAX_VALUE;

    /** One scripted answer instead of the normal one. */
    public record Failure(int status, @Nullable Duration retryAfter) {
    }

    /** One request as received. */
    public record Received(String authorization, JsonNode body, long receivedAtNanos) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Deque<Failure> scripted = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger succeeded = new AtomicInteger();
    private volatile @Nullable Failure always;
    private volatile Duration latency = Duration.ZERO;
    private final List<Received> responses = new CopyOnWriteArrayList<>();
    private final AtomicInteger responsesCompleted = new AtomicInteger();
    private volatile java.util.function.Function<JsonNode, String> responseText = AiProviderStandIn::defaultText;

    public AiProviderStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/embeddings", this::embeddings);
        server.createContext("/v1/responses", this::responses);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The base URL to configure, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** The next {@code times} requests get this answer. */
    public synchronized AiProviderStandIn failNext(int times, int status, @Nullable Duration retryAfter) {
        for (int i = 0; i < times; i++) {
            scripted.add(new Failure(status, retryAfter));
        }
        return this;
    }

    /** Every request gets this answer until {@link #recover()}. */
    public AiProviderStandIn failAlways(int status) {
        always = new Failure(status, null);
        return this;
    }

    public synchronized AiProviderStandIn recover() {
        always = null;
        scripted.clear();
        return this;
    }

    /** Refuses (400, the whole request) any embedding input longer than {@code tokens} words; unlimited by default. */
    public AiProviderStandIn maxInputTokens(long tokens) {
        this.maxInputTokens = tokens;
        return this;
    }

    public AiProviderStandIn latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** Every request received, failed ones included. */
    public List<Received> received() {
        return Collections.unmodifiableList(received);
    }

    /** Requests answered with embeddings. */
    public int succeeded() {
        return succeeded.get();
    }

    /** Every {@code POST /v1/responses} received, failed ones included. */
    public List<Received> responses() {
        return Collections.unmodifiableList(responses);
    }

    /** Responses requests answered with a completed response. */
    public int responsesCompleted() {
        return responsesCompleted.get();
    }

    /**
     * What the completed response's {@code output_text} says, given the request body. The default: with a
     * {@code text.format} JSON Schema, an object with every required property (arrays of strings get two items
     * naming the property, strings and numbers a placeholder); without one, {@code "Stand-in answer: "} and the
     * start of the input.
     */
    public AiProviderStandIn responseText(java.util.function.Function<JsonNode, String> text) {
        this.responseText = text;
        return this;
    }

    public void reset() {
        recover();
        received.clear();
        succeeded.set(0);
        responses.clear();
        responsesCompleted.set(0);
        responseText = AiProviderStandIn::defaultText;
        latency = Duration.ZERO;
        maxInputTokens = Long.MAX_VALUE;
    }

    /** The vector this stand-in returns for a text. */
    public static float[] vectorOf(String text) {
        float[] vector = new float[DIMENSIONS];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                vector[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1;
            }
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (norm == 0) {
            vector[0] = 1;
            return vector;
        }
        for (int i = 0; i < DIMENSIONS; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        try (exchange) {
            long now = System.nanoTime();
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            received.add(new Received(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")), body,
                    now));
            if (answeredWithScriptedFailure(exchange)) {
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !body.path("input").isArray()
                    || body.path("model").asString("").isEmpty()) {
                respond(exchange, 400, Map.of("error", Map.of("message", "input (array) and model are required",
                        "type", "invalid_request_error")));
                return;
            }
            JsonNode input = body.path("input");
            for (JsonNode text : input) {
                long words = text.asString().split("\\s+").length;
                if (words > maxInputTokens) {
                    // As OpenAI answers an input beyond the model's context: the whole request is refused.
                    respond(exchange, 400, Map.of("error", Map.of("message", "This model's maximum context length is "
                            + maxInputTokens + " tokens, however you requested " + words + " tokens",
                            "type", "invalid_request_error")));
                    return;
                }
            }
            List<Map<String, Object>> data = new ArrayList<>();
            long tokens = 0;
            for (int i = input.size() - 1; i >= 0; i--) {
                String text = input.get(i).asString();
                tokens += text.split("\\s+").length;
                List<Float> embedding = new ArrayList<>(DIMENSIONS);
                for (float v : vectorOf(text)) {
                    embedding.add(v);
                }
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("object", "embedding");
                item.put("index", i);
                item.put("embedding", embedding);
                data.add(item);
            }
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("object", "list");
            response.put("model", body.path("model").asString());
            response.put("data", data);
            response.put("usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens));
            succeeded.incrementAndGet();
            respond(exchange, 200, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits the configured latency, then answers the next scripted failure (with {@code Retry-After} when it has
     * one) in the providers' error shape; false when the request should succeed.
     */
    private boolean answeredWithScriptedFailure(HttpExchange exchange) throws IOException, InterruptedException {
        if (!latency.isZero()) {
            Thread.sleep(latency);
        }
        Failure failure = nextFailure();
        if (failure == null) {
            return false;
        }
        if (failure.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", Long.toString(Math.max(1, failure.retryAfter().toSeconds())));
        }
        respond(exchange, failure.status(), Map.of("error", Map.of("message", "stand-in failure",
                "type", failure.status() >= 500 ? "server_error" : "invalid_request_error",
                "code", Integer.toString(failure.status()))));
        return true;
    }

    private void responses(HttpExchange exchange) throws IOException {
        try (exchange) {
            long now = System.nanoTime();
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, Map.of("error", Map.of("message", "only POST /v1/responses is served",
                        "type", "invalid_request_error")));
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            responses.add(new Received(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")), body,
                    now));
            if (answeredWithScriptedFailure(exchange)) {
                return;
            }
            if (body.path("model").asString("").isEmpty() || body.path("input").isMissingNode()) {
                respond(exchange, 400, Map.of("error", Map.of("message", "model and input are required",
                        "type", "invalid_request_error")));
                return;
            }
            String text = responseText.apply(body);
            long inputTokens = words(body.path("instructions").asString("")) + words(body.path("input").toString());
            long outputTokens = words(text);
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("type", "output_text");
            content.put("text", text);
            content.put("annotations", List.of());
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "message");
            message.put("id", "msg_" + java.util.UUID.randomUUID().toString().replace("-", ""));
            message.put("status", "completed");
            message.put("role", "assistant");
            message.put("content", List.of(content));
            Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("input_tokens", inputTokens);
            usage.put("output_tokens", outputTokens);
            usage.put("total_tokens", inputTokens + outputTokens);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("id", "resp_" + java.util.UUID.randomUUID().toString().replace("-", ""));
            response.put("object", "response");
            response.put("created_at", System.currentTimeMillis() / 1000);
            response.put("status", "completed");
            response.put("model", body.path("model").asString());
            response.put("output", List.of(message));
            response.put("usage", usage);
            response.put("error", null);
            response.put("incomplete_details", null);
            responsesCompleted.incrementAndGet();
            respond(exchange, 200, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static String defaultText(JsonNode request) {
        JsonNode schema = request.path("text").path("format").path("schema");
        if (schema.isMissingNode() || schema.isNull()) {
            String input = request.path("input").isString() ? request.path("input").asString()
                    : request.path("input").toString();
            return "Stand-in answer: " + input.substring(0, Math.min(200, input.length()));
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (JsonNode required : schema.path("required")) {
            String name = required.asString();
            String type = schema.path("properties").path(name).path("type").asString("string");
            object.put(name, switch (type) {
                case "array" -> List.of("stand-in " + name + " 1", "stand-in " + name + " 2");
                case "integer", "number" -> 1;
                case "boolean" -> true;
                default -> "stand-in " + name;
            });
        }
        return JSON.writeValueAsString(object);
    }

    private synchronized @Nullable Failure nextFailure() {
        Failure next = scripted.poll();
        return next != null ? next : always;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
