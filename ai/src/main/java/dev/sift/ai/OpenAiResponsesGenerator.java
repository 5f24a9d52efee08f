package dev.sift.ai;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Synchronous {@code POST {base}/v1/responses} with structured output ({@code text.format} json_schema). The
 * text is the concatenation of the {@code output_text} parts; {@code failed}/{@code incomplete} are retryable
 * failures. Background mode, polling and the Batch API (for bill summaries) are not here yet.
 */
final class OpenAiResponsesGenerator implements TextGenerator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final String apiKey;
    private final String model;
    private final Duration timeout;
    private final ProviderGuard guard;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OpenAiResponsesGenerator(String baseUrl, String apiKey, String model, Duration timeout, ProviderGuard guard) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/responses");
        this.apiKey = apiKey;
        this.model = model;
        this.timeout = timeout;
        this.guard = guard;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        long estimate = ProviderLimits.estimateTokens(request.instructions() + request.input())
                + request.maxOutputTokens();
        return guard.call(model, estimate, () -> send(request),
                result -> new ProviderGuard.Usage(result.inputTokens(), result.outputTokens()));
    }

    private Generation send(GenerationRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("instructions", request.instructions());
        body.put("input", request.input());
        body.put("max_output_tokens", request.maxOutputTokens());
        if (!request.jsonSchema().isBlank()) {
            body.put("text", Map.of("format", Map.of("type", "json_schema", "name", request.schemaName(),
                    "strict", true, "schema", JSON.readTree(request.jsonSchema()))));
        }
        HttpRequest http = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        HttpResponse<String> response;
        try {
            response = this.http.send(http, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw AiProviderException.unreachable("openai", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AiProviderException.unreachable("openai", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw AiProviderException.ofStatus("openai", response.statusCode(), response.body(),
                    HttpEmbeddingProvider.retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
        JsonNode root = JSON.readTree(response.body());
        String status = root.path("status").asString("");
        if (!"completed".equals(status)) {
            throw new AiProviderException("openai response " + status + ": " + root.path("error")
                    + root.path("incomplete_details"), response.statusCode(), true, null, null);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode output : root.path("output")) {
            for (JsonNode content : output.path("content")) {
                if ("output_text".equals(content.path("type").asString(""))) {
                    text.append(content.path("text").asString(""));
                }
            }
        }
        JsonNode usage = root.path("usage");
        return new Generation(text.toString(), root.path("model").asString(model),
                usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0));
    }
}
