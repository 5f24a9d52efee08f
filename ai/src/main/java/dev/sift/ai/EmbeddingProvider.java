package dev.sift.ai;

import dev.sift.ai.EmbeddingClient.Embeddings;
import java.util.List;

/** One provider request, already within {@link #limits()}; the guard around it does everything else. */
interface EmbeddingProvider {

    /** {@code gen_ai.provider.name}: {@code local}, {@code openai}, {@code voyage}. */
    String name();

    String model();

    ProviderLimits limits();

    Embeddings embedOnce(List<String> texts);
}
