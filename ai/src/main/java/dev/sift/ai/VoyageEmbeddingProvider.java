package dev.sift.ai;

import dev.sift.ai.EmbeddingClient.Embeddings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Voyage AI's {@code POST {base}/v1/embeddings} ({@code input}, {@code model}, {@code input_type}) over
 * {@code java.net.http}: Voyage publishes no Java SDK, and its one endpoint does not justify a hand-made client
 * library. Results are put back in input order by {@code index}, since Voyage may answer in any order.
 */
final class VoyageEmbeddingProvider implements EmbeddingProvider {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final String apiKey;
    private final String model;
    private final Duration timeout;
    private final HttpClient http;

    VoyageEmbeddingProvider(String baseUrl, String apiKey, String model, Duration timeout) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/embeddings");
        this.apiKey = apiKey;
        this.model = model;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public String name() {
        return "voyage";
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public ProviderLimits limits() {
        return ProviderLimits.VOYAGE;
    }

    @Override
    public Embeddings embedOnce(List<String> texts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("input", texts);
        body.put("input_type", "document");
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw AiProviderException.unreachable(name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AiProviderException.unreachable(name(), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw AiProviderException.ofStatus(name(), response.statusCode(), response.body(),
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
        JsonNode root = JSON.readTree(response.body());
        float[][] vectors = new float[texts.size()][];
        for (JsonNode item : root.path("data")) {
            int index = item.path("index").asInt();
            JsonNode values = item.path("embedding");
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) values.get(i).asDouble();
            }
            if (index < 0 || index >= vectors.length) {
                throw new AiProviderException(name() + " returned index " + index + " for " + texts.size()
                        + " inputs", response.statusCode(), false, null, null);
            }
            vectors[index] = vector;
        }
        if (Arrays.stream(vectors).anyMatch(v -> v == null)) {
            throw new AiProviderException(name() + " returned fewer embeddings than inputs", response.statusCode(),
                    true, null, null);
        }
        long tokens = root.path("usage").path("total_tokens").asLong(0);
        return new Embeddings(new ArrayList<>(Arrays.asList(vectors)), tokens, 1);
    }

    /** {@code Retry-After} in seconds (the providers' form); an HTTP date is treated as absent. */
    static @Nullable Duration retryAfter(@Nullable String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
