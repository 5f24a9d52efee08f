package dev.sift.ai;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/** Builds the configured clients; the one place that knows every adapter and its provider's defaults. */
public final class AiClients {

    private AiClients() {
    }

    public static EmbeddingClient embeddingClient(AiProperties.Port port, MeterRegistry registry) {
        EmbeddingProvider provider = switch (port.provider()) {
            case "local" -> new LocalEmbeddingProvider();
            case "openai" -> new OpenAiEmbeddingProvider(port.baseUrlOr("https://api.openai.com"), port.requireApiKey(),
                    port.modelOr("text-embedding-3-small"), port.timeout());
            // Voyage publishes no Java SDK: its one endpoint is spoken over java.net.http.
            case "voyage" -> new VoyageEmbeddingProvider(
                    port.baseUrlOr("https://api.voyageai.com"), port.requireApiKey(), port.modelOr("voyage-3.5"),
                    port.timeout());
            default -> throw new IllegalStateException("Unknown sift.ai.embedding.provider: " + port.provider()
                    + " (local, openai, voyage)");
        };
        ProviderGuard.Limits limits = switch (port.provider()) {
            // Published tier-1 limits; the in-process model has none worth metering.
            case "openai" -> port.limits(3_000, 1_000_000);
            case "voyage" -> port.limits(2_000, 8_000_000);
            default -> port.limits(1_000_000, 1_000_000_000L);
        };
        return new GuardedEmbeddingClient(provider, new ProviderGuard(provider.name(), "embeddings", limits, registry));
    }

    /** The generator, or empty for {@code local}: local labels and summaries are extractive, chosen by the caller. */
    public static Optional<TextGenerator> textGenerator(AiProperties.Port port, MeterRegistry registry) {
        return responsesClient(port, registry).map(OpenAiResponsesGenerator::new);
    }

    /**
     * The Responses/Batch API client, or empty for {@code local}. Default limits are OpenAI's published tier-1
     * limits for gpt-4.1-mini (500 requests, 200,000 tokens per minute); polls, cancels and Files/Batches calls
     * have their own guard (3,000 per minute) because they cost no tokens and must not starve generations.
     */
    public static Optional<ResponsesClient> responsesClient(AiProperties.Port port, MeterRegistry registry) {
        return switch (port.provider()) {
            case "local" -> Optional.empty();
            case "openai" -> {
                ProviderGuard.Limits createLimits = port.limits(500, 200_000);
                ProviderGuard.Limits controlLimits = new ProviderGuard.Limits(3_000, 1_000_000_000L,
                        Math.max(16, port.maxConcurrency()), port.maxQueueWait(), port.maxRetryAfterWait(),
                        port.maxRateLimitRetries());
                yield Optional.of(new OpenAiResponsesClient(port.baseUrlOr("https://api.openai.com"),
                        port.requireApiKey(), port.modelOr("gpt-4.1-mini"), port.timeout(),
                        new ProviderGuard("openai", "chat", createLimits, registry),
                        new ProviderGuard("openai", "chat.control", controlLimits, registry)));
            }
            default -> throw new IllegalStateException("Unknown sift.ai.generation.provider: " + port.provider()
                    + " (local, openai)");
        };
    }
}
