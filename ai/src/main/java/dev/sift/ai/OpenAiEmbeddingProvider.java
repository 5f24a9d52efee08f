package dev.sift.ai;

import com.openai.client.OpenAIClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.sift.ai.EmbeddingClient.Embeddings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST {base}/v1/embeddings} through the official {@code openai-java} SDK (any OpenAI-compatible endpoint:
 * the base URL is configuration). Vectors are requested as floats and put back in input order by {@code index}.
 */
final class OpenAiEmbeddingProvider implements EmbeddingProvider {

    private final OpenAIClient client;
    private final String model;

    OpenAiEmbeddingProvider(String baseUrl, String apiKey, String model, Duration timeout) {
        this.client = OpenAiSdk.client(baseUrl, apiKey, timeout);
        this.model = model;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public ProviderLimits limits() {
        return ProviderLimits.OPENAI;
    }

    @Override
    public Embeddings embedOnce(List<String> texts) {
        EmbeddingCreateParams params = EmbeddingCreateParams.builder()
                .model(model)
                .inputOfArrayOfStrings(texts)
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .build();
        return OpenAiSdk.call(name(), () -> {
            CreateEmbeddingResponse response = client.embeddings().create(params);
            float[][] vectors = new float[texts.size()][];
            for (Embedding item : response.data()) {
                long index = item.index();
                if (index < 0 || index >= vectors.length) {
                    throw new AiProviderException(name() + " returned index " + index + " for " + texts.size()
                            + " inputs", 200, false, null, null);
                }
                List<Float> values = item.embedding();
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = values.get(i);
                }
                vectors[(int) index] = vector;
            }
            if (Arrays.stream(vectors).anyMatch(v -> v == null)) {
                throw new AiProviderException(name() + " returned fewer embeddings than inputs", 200, true, null, null);
            }
            return new Embeddings(new ArrayList<>(Arrays.asList(vectors)), response.usage().totalTokens(), 1);
        });
    }
}
