package dev.sift.ai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What every adapter on the official {@code openai-java} SDK shares: a client with the SDK's own retries off
 * ({@code maxRetries(0)}, so the {@link ProviderGuard} alone waits out 429s and everything else goes back to the
 * caller, whose retry topics decide), and the translation of the SDK's exceptions into {@link AiProviderException}.
 */
final class OpenAiSdk {

    private OpenAiSdk() {
    }

    /** A client for {@code {baseUrl}/v1}, any trailing slashes of the base URL ignored. */
    static OpenAIClient client(String baseUrl, String apiKey, Duration timeout) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl.replaceAll("/+$", "") + "/v1")
                .apiKey(apiKey)
                .maxRetries(0)
                .timeout(timeout)
                .build();
    }

    /** Runs one SDK call; an HTTP error keeps its status and {@code Retry-After}, an I/O failure is retryable. */
    static <T> T call(String provider, Supplier<T> call) {
        try {
            return call.get();
        } catch (OpenAIServiceException e) {
            List<String> retryAfter = e.headers().values("retry-after");
            throw AiProviderException.ofStatus(provider, e.statusCode(), String.valueOf(e.body()),
                    VoyageEmbeddingProvider.retryAfter(retryAfter.isEmpty() ? null : retryAfter.getFirst()));
        } catch (OpenAIIoException e) {
            throw AiProviderException.unreachable(provider, e);
        } catch (OpenAIException e) {
            // An answer the SDK could not read: a provider-side glitch as far as the caller can tell.
            throw new AiProviderException(provider + ": " + e.getMessage(), 0, true, null, e);
        }
    }
}
