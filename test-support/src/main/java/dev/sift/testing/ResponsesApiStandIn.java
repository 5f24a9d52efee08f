package dev.sift.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A faithful HTTP stand-in for OpenAI's Responses, Files and Batches endpoints (docs/providers.md) on a random local
 * port: {@code POST /v1/responses} (synchronous, or {@code background: true} answering {@code queued} at once),
 * {@code GET /v1/responses/{id}}, {@code POST /v1/responses/{id}/cancel}, {@code POST /v1/files} (multipart),
 * {@code POST /v1/batches}, {@code GET /v1/batches/{id}}, {@code GET /v1/files/{id}/content}; full response, batch
 * and file objects as the API returns them; error bodies {@code {"error": {...}}}.
 *
 * <p>Generation time comes from a {@link LatencyModel} — by default seed 002's measurements: lognormal with median
 * 3.5 s, and 2 % outliers of 20–40 s — scaled by a factor so tests run in milliseconds, from a seeded random
 * source so runs repeat. Tests script outcomes per input ({@code failed}, {@code incomplete}), HTTP failures on
 * create (5xx, 429 with {@code Retry-After}), and read counters of creates, polls and cancels.
 */
public final class ResponsesApiStandIn implements AutoCloseable {

    /** How long one generation takes. */
    @FunctionalInterface
    public interface LatencyModel {
        Duration next(Random random, String input);

        /**
         * Seed 002: lognormal with median 3.5 s and σ 0.55 (mean ≈ 4.1 s, p95 ≈ 8.6 s; its three synchronous runs
         * of 50 measured medians 3.2–4.0 s, means 1.22 × the median and maxima 10.5 and 13.6 s without outliers,
         * which put σ between 0.5 and 0.63), and with probability 2 % an outlier uniform in 20–40 s (its third run's
         * 40 s); every duration times {@code scale}. Each draw takes one uniform and then one Gaussian or one
         * more uniform, so runs with the same seed see the same latencies.
         */
        static LatencyModel seed002(double scale) {
            return (random, input) -> {
                double seconds = random.nextDouble() < 0.02 ? 20 + 20 * random.nextDouble()
                        : 3.5 * Math.exp(0.55 * random.nextGaussian());
                return Duration.ofNanos((long) (seconds * scale * 1e9));
            };
        }

        static LatencyModel fixed(Duration latency) {
            return (random, input) -> latency;
        }
    }

    /** One create request as received. */
    public record Received(String authorization, JsonNode body, boolean background, long receivedAtNanos) {
        public String input() {
            return body.path("input").asString("");
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Map<String, Generation> responses = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, BatchJob> batches = new ConcurrentHashMap<>();
    private final List<Received> creates = new CopyOnWriteArrayList<>();
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<String>> scriptedOutcomes = new ConcurrentHashMap<>();
    private final Map<String, String> alwaysOutcome = new ConcurrentHashMap<>();
    private final Map<String, Duration> latencyByMarker = new ConcurrentHashMap<>();
    private final Deque<int[]> httpFailures = new ArrayDeque<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger retrieves = new AtomicInteger();
    private final AtomicInteger cancelRequests = new AtomicInteger();
    private final AtomicInteger httpFailuresSent = new AtomicInteger();
    private volatile LatencyModel latency = LatencyModel.fixed(Duration.ZERO);
    private volatile Random random = new Random(1);
    private volatile Duration batchDuration = Duration.ofMillis(300);

    public ResponsesApiStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/responses", this::responses);
        server.createContext("/v1/files", this::files);
        server.createContext("/v1/batches", this::batches);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The base URL to configure (without {@code /v1}), e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Generation times from this model and a random source seeded with {@code seed}. */
    public ResponsesApiStandIn latency(LatencyModel model, long seed) {
        this.latency = model;
        // java.util.Random's first outputs for nearby seeds (1, 2, 3 …) are strongly correlated — seeds 1–10 all
        // drew an outlier at the same position — so the seed is mixed first.
        this.random = new Random(new java.util.SplittableRandom(seed).nextLong());
        return this;
    }

    /**
     * The next generation whose input contains {@code marker} takes exactly {@code duration} (an outlier on demand);
     * later ones (a hedge, a re-request) take the latency model's time again, as a real outlier would.
     */
    public ResponsesApiStandIn nextLatencyFor(String marker, Duration duration) {
        latencyByMarker.put(marker, duration);
        return this;
    }

    /** Successive generations whose input contains {@code marker} end with these statuses, then {@code completed}. */
    public ResponsesApiStandIn outcomes(String marker, String... statuses) {
        scriptedOutcomes.computeIfAbsent(marker, m -> new ArrayDeque<>()).addAll(List.of(statuses));
        return this;
    }

    /** Every generation whose input contains {@code marker} ends with {@code status} ({@code failed}, {@code incomplete}). */
    public ResponsesApiStandIn alwaysEndWith(String marker, String status) {
        alwaysOutcome.put(marker, status);
        return this;
    }

    /** The next {@code times} create requests are answered with this HTTP status (429 with {@code Retry-After}). */
    public synchronized ResponsesApiStandIn failNextCreates(int times, int status, @Nullable Duration retryAfter) {
        for (int i = 0; i < times; i++) {
            httpFailures.add(new int[] {status, retryAfter == null ? -1 : (int) Math.max(0, retryAfter.toSeconds())});
        }
        return this;
    }

    /** How long a batch takes from creation to {@code completed}. */
    public ResponsesApiStandIn batchDuration(Duration duration) {
        this.batchDuration = duration;
        return this;
    }

    /** Create requests, in order, failed ones included. */
    public List<Received> creates() {
        return List.copyOf(creates);
    }

    /** Create requests whose input contains {@code marker}. */
    public long createsFor(String marker) {
        return creates.stream().filter(r -> r.input().contains(marker)).count();
    }

    public int retrieves() {
        return retrieves.get();
    }

    /** {@code POST /v1/responses/{id}/cancel} requests received. */
    public int cancelRequests() {
        return cancelRequests.get();
    }

    /** Ids of responses that a cancel stopped while they were still running. */
    public List<String> cancelled() {
        return List.copyOf(cancelled);
    }

    /** The input of the response with this id. */
    public @Nullable String inputOf(String responseId) {
        Generation generation = responses.get(responseId);
        return generation == null ? null : generation.input;
    }

    /**
     * Every generation so far whose input contains {@code marker}: id, milliseconds after the first generation it
     * was created, its drawn duration in milliseconds, and its status now. For benchmark reports and debugging.
     */
    public List<String> describe(String marker) {
        long first = responses.values().stream().mapToLong(g -> g.createdAtNanos).min().orElse(0);
        long now = System.nanoTime();
        return responses.values().stream().filter(g -> g.input.contains(marker))
                .sorted(java.util.Comparator.comparingLong(g -> g.createdAtNanos))
                .map(g -> g.id + " +" + (g.createdAtNanos - first) / 1_000_000 + "ms took "
                        + (g.doneAtNanos - g.createdAtNanos) / 1_000_000 + "ms " + g.status(now))
                .toList();
    }

    /** Drawn durations of all generations in creation order. */
    public List<Duration> durations() {
        return responses.values().stream().sorted(java.util.Comparator.comparingLong(g -> g.createdAtNanos))
                .map(g -> Duration.ofNanos(g.doneAtNanos - g.createdAtNanos)).toList();
    }

    public int httpFailuresSent() {
        return httpFailuresSent.get();
    }

    public int batchesCreated() {
        return batches.size();
    }

    public synchronized void reset() {
        responses.clear();
        files.clear();
        batches.clear();
        creates.clear();
        cancelled.clear();
        scriptedOutcomes.clear();
        alwaysOutcome.clear();
        latencyByMarker.clear();
        httpFailures.clear();
        retrieves.set(0);
        cancelRequests.set(0);
        httpFailuresSent.set(0);
        latency = LatencyModel.fixed(Duration.ZERO);
        random = new Random(1);
        batchDuration = Duration.ofMillis(300);
    }

    // ---- /v1/responses -------------------------------------------------------------------------------------

    /** One generation: when it finishes and how. */
    private static final class Generation {
        final String id;
        final JsonNode request;
        final String input;
        final boolean background;
        final long createdAtNanos = System.nanoTime();
        final long createdAtEpoch = System.currentTimeMillis() / 1000;
        final long doneAtNanos;
        final String outcome;
        volatile boolean cancelled;

        Generation(String id, JsonNode request, boolean background, Duration latency, String outcome) {
            this.id = id;
            this.request = request;
            this.input = request.path("input").asString("");
            this.background = background;
            this.doneAtNanos = createdAtNanos + latency.toNanos();
            this.outcome = outcome;
        }

        String status(long now) {
            if (cancelled) {
                return "cancelled";
            }
            if (now >= doneAtNanos) {
                return outcome;
            }
            // The first tenth of the wait in the queue, then running: both are "not yet".
            return now < createdAtNanos + (doneAtNanos - createdAtNanos) / 10 ? "queued" : "in_progress";
        }
    }

    private void responses(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String[] parts = path.split("/");
            // "", "v1", "responses", [id], ["cancel"]
            if (parts.length == 3 && "POST".equals(method)) {
                create(exchange);
            } else if (parts.length == 4 && "GET".equals(method)) {
                retrieves.incrementAndGet();
                Generation generation = responses.get(parts[3]);
                if (generation == null) {
                    notFound(exchange, "No response found with id '" + parts[3] + "'.");
                    return;
                }
                respond(exchange, 200, responseObject(generation, System.nanoTime()));
            } else if (parts.length == 5 && "cancel".equals(parts[4]) && "POST".equals(method)) {
                cancelRequests.incrementAndGet();
                Generation generation = responses.get(parts[3]);
                if (generation == null) {
                    notFound(exchange, "No response found with id '" + parts[3] + "'.");
                    return;
                }
                if (!generation.background) {
                    error(exchange, 400, "invalid_request_error", "Only background responses can be cancelled.");
                    return;
                }
                synchronized (generation) {
                    long now = System.nanoTime();
                    if (!generation.cancelled && now < generation.doneAtNanos) {
                        generation.cancelled = true;
                        cancelled.add(generation.id);
                    }
                    respond(exchange, 200, responseObject(generation, now));
                }
            } else {
                notFound(exchange, "Unknown path " + method + " " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void create(HttpExchange exchange) throws IOException, InterruptedException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        boolean background = body.path("background").asBoolean(false);
        creates.add(new Received(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")), body,
                background, System.nanoTime()));
        int[] failure = nextHttpFailure();
        if (failure != null) {
            httpFailuresSent.incrementAndGet();
            if (failure[1] >= 0) {
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(failure[1]));
            }
            error(exchange, failure[0], failure[0] == 429 ? "rate_limit_exceeded" : "server_error",
                    failure[0] == 429 ? "Rate limit reached for requests" : "The server had an error.");
            return;
        }
        if (body.path("model").asString("").isEmpty() || !body.has("input")) {
            error(exchange, 400, "invalid_request_error", "model and input are required");
            return;
        }
        Generation generation = newGeneration(body, background);
        if (background) {
            respond(exchange, 200, responseObject(generation, System.nanoTime()));
            return;
        }
        long wait = generation.doneAtNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
        respond(exchange, 200, responseObject(generation, System.nanoTime()));
    }

    private Generation newGeneration(JsonNode body, boolean background) {
        String input = body.path("input").asString("");
        Duration duration = null;
        for (String marker : List.copyOf(latencyByMarker.keySet())) {
            if (input.contains(marker)) {
                Duration once = latencyByMarker.remove(marker);
                duration = once != null ? once : duration;
            }
        }
        if (duration == null) {
            synchronized (this) {
                duration = latency.next(random, input);
            }
        }
        Generation generation = new Generation("resp_" + hex(), body, background, duration, outcomeFor(input));
        responses.put(generation.id, generation);
        return generation;
    }

    private String outcomeFor(String input) {
        for (Map.Entry<String, Deque<String>> scripted : scriptedOutcomes.entrySet()) {
            if (input.contains(scripted.getKey())) {
                String next = scripted.getValue().poll();
                if (next != null) {
                    return next;
                }
            }
        }
        for (Map.Entry<String, String> always : alwaysOutcome.entrySet()) {
            if (input.contains(always.getKey())) {
                return always.getValue();
            }
        }
        return "completed";
    }

    private synchronized int @Nullable [] nextHttpFailure() {
        return httpFailures.poll();
    }

    /** The response object as {@code GET /v1/responses/{id}} returns it. */
    private static Map<String, Object> responseObject(Generation generation, long now) {
        String status = generation.status(now);
        JsonNode request = generation.request;
        String text = summaryOf(generation.input);
        long inputTokens = words(request.path("instructions").asString("")) + words(generation.input);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", generation.id);
        body.put("object", "response");
        body.put("created_at", generation.createdAtEpoch);
        body.put("status", status);
        body.put("background", generation.background);
        body.put("error", "failed".equals(status)
                ? Map.of("code", "server_error", "message", "The model failed to generate a response.") : null);
        body.put("incomplete_details", "incomplete".equals(status) ? Map.of("reason", "max_output_tokens") : null);
        body.put("instructions", request.path("instructions").asString(null));
        body.put("max_output_tokens", request.path("max_output_tokens").isMissingNode() ? null
                : request.path("max_output_tokens").asLong());
        body.put("model", request.path("model").asString("") + "-2025-04-14");
        List<Object> output = new ArrayList<>();
        Map<String, Object> usage = null;
        if ("completed".equals(status) || "incomplete".equals(status)) {
            String produced = "completed".equals(status) ? text : text.substring(0, Math.min(text.length(), 12));
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("type", "output_text");
            part.put("text", produced);
            part.put("annotations", List.of());
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("id", "msg_" + generation.id.substring(5));
            message.put("type", "message");
            message.put("status", status);
            message.put("role", "assistant");
            message.put("content", List.of(part));
            output.add(message);
            usage = new LinkedHashMap<>();
            usage.put("input_tokens", inputTokens);
            usage.put("input_tokens_details", Map.of("cached_tokens", 0));
            usage.put("output_tokens", words(produced));
            usage.put("output_tokens_details", Map.of("reasoning_tokens", 0));
            usage.put("total_tokens", inputTokens + words(produced));
        }
        body.put("output", output);
        body.put("parallel_tool_calls", true);
        body.put("previous_response_id", null);
        body.put("reasoning", mapOfNulls("effort", "summary"));
        body.put("store", true);
        body.put("temperature", 1.0);
        body.put("text", request.has("text") ? request.get("text") : Map.of("format", Map.of("type", "text")));
        body.put("tool_choice", "auto");
        body.put("tools", List.of());
        body.put("top_p", 1.0);
        body.put("truncation", "disabled");
        body.put("usage", usage);
        body.put("user", null);
        body.put("metadata", Map.of());
        return body;
    }

    /** The stand-in's "summary": the input's first sentence, so tests can tell which bill a summary belongs to. */
    public static String summaryOf(String input) {
        String first = input.strip().split("(?<=[.!?])\\s+", 2)[0];
        return "Summary: " + (first.length() > 200 ? first.substring(0, 200) : first);
    }

    // ---- /v1/files and /v1/batches --------------------------------------------------------------------------

    private record BatchJob(String id, String inputFileId, long createdAtNanos, long createdAtEpoch, long doneAtNanos,
            List<JsonNode> lines, @Nullable String[] outputFileId) {
    }

    private void files(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String method = exchange.getRequestMethod();
            if (parts.length == 3 && "POST".equals(method)) {
                String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
                byte[] file = multipartFile(exchange.getRequestBody().readAllBytes(), contentType);
                if (file == null) {
                    error(exchange, 400, "invalid_request_error", "multipart field 'file' is required");
                    return;
                }
                String id = "file-" + hex();
                files.put(id, file);
                respond(exchange, 200, fileObject(id, file.length, "batch"));
            } else if (parts.length == 5 && "content".equals(parts[4]) && "GET".equals(method)) {
                materialiseOutputs();
                byte[] content = files.get(parts[3]);
                if (content == null) {
                    notFound(exchange, "No such File object: " + parts[3]);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(content);
                }
            } else {
                notFound(exchange, "Unknown path " + method + " " + exchange.getRequestURI().getPath());
            }
        }
    }

    private void batches(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String method = exchange.getRequestMethod();
            if (parts.length == 3 && "POST".equals(method)) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                byte[] input = files.get(body.path("input_file_id").asString(""));
                if (input == null) {
                    error(exchange, 400, "invalid_request_error", "input_file_id does not exist");
                    return;
                }
                if (!"/v1/responses".equals(body.path("endpoint").asString(""))
                        || !"24h".equals(body.path("completion_window").asString(""))) {
                    error(exchange, 400, "invalid_request_error", "endpoint /v1/responses and completion_window 24h expected");
                    return;
                }
                List<JsonNode> lines = new ArrayList<>();
                for (String line : new String(input, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(JSON.readTree(line));
                    }
                }
                long now = System.nanoTime();
                BatchJob job = new BatchJob("batch_" + hex(), body.path("input_file_id").asString(), now,
                        System.currentTimeMillis() / 1000, now + batchDuration.toNanos(), lines, new String[1]);
                batches.put(job.id(), job);
                respond(exchange, 200, batchObject(job, now));
            } else if (parts.length == 4 && "GET".equals(method)) {
                retrieves.incrementAndGet();
                materialiseOutputs();
                BatchJob job = batches.get(parts[3]);
                if (job == null) {
                    notFound(exchange, "No batch found with id '" + parts[3] + "'.");
                    return;
                }
                respond(exchange, 200, batchObject(job, System.nanoTime()));
            } else {
                notFound(exchange, "Unknown path " + method + " " + exchange.getRequestURI().getPath());
            }
        }
    }

    /** Writes the output file of every batch that finished and has none yet, in reverse order (any order is legal). */
    private synchronized void materialiseOutputs() {
        long now = System.nanoTime();
        for (BatchJob job : batches.values()) {
            if (job.outputFileId()[0] != null || now < job.doneAtNanos()) {
                continue;
            }
            StringBuilder out = new StringBuilder();
            for (int i = job.lines().size() - 1; i >= 0; i--) {
                JsonNode line = job.lines().get(i);
                Generation generation = new Generation("resp_" + hex(), line.path("body"), false, Duration.ZERO,
                        outcomeFor(line.path("body").path("input").asString("")));
                creates.add(new Received("batch", line.path("body"), false, now));
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("status_code", 200);
                response.put("request_id", "req_" + hex());
                response.put("body", responseObject(generation, generation.doneAtNanos));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("id", "batch_req_" + hex());
                result.put("custom_id", line.path("custom_id").asString());
                result.put("response", response);
                result.put("error", null);
                out.append(JSON.writeValueAsString(result)).append('\n');
            }
            String id = "file-" + hex();
            files.put(id, out.toString().getBytes(StandardCharsets.UTF_8));
            job.outputFileId()[0] = id;
        }
    }

    private static Map<String, Object> batchObject(BatchJob job, long now) {
        boolean done = job.outputFileId()[0] != null;
        String status = done ? "completed" : now < job.createdAtNanos() + (job.doneAtNanos() - job.createdAtNanos()) / 5
                ? "validating" : "in_progress";
        long epoch = System.currentTimeMillis() / 1000;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", job.id());
        body.put("object", "batch");
        body.put("endpoint", "/v1/responses");
        body.put("errors", null);
        body.put("input_file_id", job.inputFileId());
        body.put("completion_window", "24h");
        body.put("status", status);
        body.put("output_file_id", job.outputFileId()[0]);
        body.put("error_file_id", null);
        body.put("created_at", job.createdAtEpoch());
        body.put("in_progress_at", "validating".equals(status) ? null : job.createdAtEpoch());
        body.put("expires_at", job.createdAtEpoch() + 86_400);
        body.put("finalizing_at", done ? epoch : null);
        body.put("completed_at", done ? epoch : null);
        body.put("failed_at", null);
        body.put("expired_at", null);
        body.put("cancelling_at", null);
        body.put("cancelled_at", null);
        body.put("request_counts", Map.of("total", job.lines().size(), "completed", done ? job.lines().size() : 0,
                "failed", 0));
        body.put("metadata", Map.of());
        return body;
    }

    private static Map<String, Object> fileObject(String id, long bytes, String purpose) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", "file");
        body.put("bytes", bytes);
        body.put("created_at", System.currentTimeMillis() / 1000);
        body.put("filename", "batch.jsonl");
        body.put("purpose", purpose);
        body.put("status", "processed");
        body.put("expires_at", null);
        body.put("status_details", null);
        return body;
    }

    /** The bytes of the multipart part named {@code file}. */
    private static byte @Nullable [] multipartFile(byte[] body, String contentType) {
        int at = contentType.indexOf("boundary=");
        if (at < 0) {
            return null;
        }
        String boundary = "--" + contentType.substring(at + 9).replace("\"", "").split(";")[0].strip();
        // ISO-8859-1 maps bytes 1:1 to chars, so offsets found in the string are byte offsets.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        for (String part : text.split(java.util.regex.Pattern.quote(boundary))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            if (headerEnd < 0 || !part.substring(0, headerEnd).contains("name=\"file\"")) {
                continue;
            }
            String content = part.substring(headerEnd + 4);
            if (content.endsWith("\r\n")) {
                content = content.substring(0, content.length() - 2);
            }
            return content.getBytes(StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    private static Map<String, Object> mapOfNulls(String... keys) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : keys) {
            map.put(key, null);
        }
        return map;
    }

    private String hex() {
        return Long.toHexString(0x6800_0000_0000L + ids.incrementAndGet() * 7919);
    }

    private static long words(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    private static void notFound(HttpExchange exchange, String message) throws IOException {
        error(exchange, 404, "invalid_request_error", message);
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", null);
        error.put("code", status == 429 ? "rate_limit_exceeded" : null);
        respond(exchange, status, Map.of("error", error));
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
