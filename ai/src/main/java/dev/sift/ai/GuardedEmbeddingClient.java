package dev.sift.ai;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EmbeddingClient} over one provider: splits the texts only where the provider's per-request limits
 * force it, shortens a text longer than the provider takes for one input, and sends every request through the
 * provider's {@link ProviderGuard}.
 */
final class GuardedEmbeddingClient implements EmbeddingClient {

    private final EmbeddingProvider provider;
    private final ProviderGuard guard;

    GuardedEmbeddingClient(EmbeddingProvider provider, ProviderGuard guard) {
        this.provider = provider;
        this.guard = guard;
    }

    @Override
    public String model() {
        return provider.model();
    }

    @Override
    public Embeddings embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        long usedTokens = 0;
        int requests = 0;
        // A text beyond the provider's per-text limit would make it refuse the whole request, and so fail every
        // other text of the batch for good: it is embedded by its beginning instead.
        List<String> fitted = texts.stream().map(provider.limits()::fitInput).toList();
        for (List<String> chunk : split(fitted, provider.limits())) {
            long estimate = chunk.stream().mapToLong(ProviderLimits::estimateTokens).sum();
            Embeddings part = guard.call(provider.model(), estimate, () -> provider.embedOnce(chunk),
                    result -> new ProviderGuard.Usage(result.inputTokens(), 0));
            vectors.addAll(part.vectors());
            usedTokens += part.inputTokens();
            requests++;
        }
        return new Embeddings(vectors, usedTokens, requests);
    }

    /** Consecutive chunks, each within the input and token limits; a chunk holds at least one text. */
    static List<List<String>> split(List<String> texts, ProviderLimits limits) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long tokens = 0;
        for (String text : texts) {
            long estimate = ProviderLimits.estimateTokens(text);
            if (!current.isEmpty() && (current.size() == limits.maxInputs() || tokens + estimate > limits.maxTokens())) {
                chunks.add(current);
                current = new ArrayList<>();
                tokens = 0;
            }
            current.add(text);
            tokens += estimate;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }
}
