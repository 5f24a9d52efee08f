package dev.sift.ai;

import java.util.List;

/**
 * Turns texts into vectors. Callers pass everything they have at once; the client splits only where the
 * provider's per-request limits force it.
 */
public interface EmbeddingClient {

    /** Vectors in the order of {@code texts}, with the tokens the provider counted. */
    Embeddings embed(List<String> texts);

    /** The model's name, as the provider reports it; thresholds and stored vectors are per model. */
    String model();

    /** Vectors and usage of one {@link #embed} call. */
    record Embeddings(List<float[]> vectors, long inputTokens, int requests) {
    }
}
