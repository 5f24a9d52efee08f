package dev.sift.ai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.sift.ai.EmbeddingClient.Embeddings;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) run in-process with ONNX Runtime from the model shipped in the
 * jar: no network, no key, no cost. The model loads on first use, so services that never embed pay nothing.
 */
final class LocalEmbeddingProvider implements EmbeddingProvider {

    static final String MODEL = "all-minilm-l6-v2-q";

    private volatile @Nullable EmbeddingModel model;

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public ProviderLimits limits() {
        return ProviderLimits.LOCAL;
    }

    @Override
    public Embeddings embedOnce(List<String> texts) {
        Response<List<Embedding>> response = loaded().embedAll(texts.stream().map(TextSegment::from).toList());
        List<float[]> vectors = response.content().stream().map(Embedding::vector).toList();
        Integer tokens = response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
        return new Embeddings(vectors, tokens == null ? 0 : tokens, 1);
    }

    private EmbeddingModel loaded() {
        EmbeddingModel current = model;
        if (current == null) {
            synchronized (this) {
                current = model;
                if (current == null) {
                    current = new AllMiniLmL6V2QuantizedEmbeddingModel();
                    model = current;
                }
            }
        }
        return current;
    }
}
