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
            case "openai" -> new HttpEmbeddingProvider(HttpEmbeddingProvider.Flavor.OPENAI,
                    port.baseUrlOr("https://api.openai.com"), port.requireApiKey(),
                    port.modelOr("text-embedding-3-small"), port.timeout());
            case "voyage" -> new HttpEmbeddingProvider(HttpEmbeddingProvider.Flavor.VOYAGE,
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
        return switch (port.provider()) {
            case "local" -> Optional.empty();
            case "openai" -> {
                String model = port.modelOr("gpt-4.1-mini");
                yield Optional.of(new OpenAiResponsesGenerator(port.baseUrlOr("https://api.openai.com"),
                        port.requireApiKey(), model, port.timeout(),
                        new ProviderGuard("openai", "chat", port.limits(500, 200_000), registry)));
            }
            default -> throw new IllegalStateException("Unknown sift.ai.generation.provider: " + port.provider()
                    + " (local, openai)");
        };
    }
}
