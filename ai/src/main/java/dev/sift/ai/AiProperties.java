package dev.sift.ai;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code sift.ai.embedding.*} and {@code sift.ai.generation.*} (docs/contracts.md, Configuration). API keys
 * come from the environment ({@code SIFT_AI_EMBEDDING_API_KEY}) or the command line, never from a file in
 * the repository.
 */
@Validated
@ConfigurationProperties("sift.ai")
public record AiProperties(@DefaultValue @Valid Port embedding, @DefaultValue @Valid Port generation) {

    /**
     * One port's provider and client-side limits; absent values take the provider's published defaults.
     *
     * @param provider {@code local}, {@code openai} or {@code voyage} (embeddings only)
     * @param baseUrl the endpoint without {@code /v1}; a stand-in's URL in tests
     * @param requestsPerMinute requests bucket; {@code tokensPerMinute} the tokens bucket
     * @param maxConcurrency requests in flight at once from this process
     * @param timeout of one HTTP request
     * @param maxQueueWait how long a call may wait for the buckets or a concurrency slot before it fails retryably
     * @param maxRetryAfterWait the longest {@code Retry-After} waited for in place; a longer one fails the call so
     *     the caller retries through its retry topic
     * @param maxRateLimitRetries 429s waited out in place per request
     */
    public record Port(@DefaultValue("local") String provider, @Nullable String baseUrl, @Nullable String apiKey,
            @Nullable String model, @Nullable @Min(1) Integer requestsPerMinute, @Nullable @Min(1) Long tokensPerMinute,
            @DefaultValue("4") @Min(1) int maxConcurrency, @DefaultValue("PT60S") Duration timeout,
            @DefaultValue("PT60S") Duration maxQueueWait, @DefaultValue("PT30S") Duration maxRetryAfterWait,
            @DefaultValue("2") @Min(0) int maxRateLimitRetries) {

        String baseUrlOr(String fallback) {
            return baseUrl == null || baseUrl.isBlank() ? fallback : baseUrl;
        }

        String modelOr(String fallback) {
            return model == null || model.isBlank() ? fallback : model;
        }

        String requireApiKey() {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalStateException("sift.ai." + "*.api-key is required for provider " + provider
                        + ": set it in the environment (e.g. SIFT_AI_EMBEDDING_API_KEY)");
            }
            return apiKey;
        }

        ProviderGuard.Limits limits(int defaultRequestsPerMinute, long defaultTokensPerMinute) {
            return new ProviderGuard.Limits(requestsPerMinute != null ? requestsPerMinute : defaultRequestsPerMinute,
                    tokensPerMinute != null ? tokensPerMinute : defaultTokensPerMinute, maxConcurrency, maxQueueWait,
                    maxRetryAfterWait, maxRateLimitRetries);
        }
    }
}
