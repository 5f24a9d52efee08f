package dev.sift.ai;

import dev.sift.ai.ResponsesClient.ResponseState;

/**
 * Synchronous {@code POST {base}/v1/responses} with structured output ({@code text.format} json_schema), through
 * the SDK-based {@link ResponsesClient}. The text is the concatenation of the {@code output_text} parts;
 * {@code failed}/{@code incomplete} are retryable failures for this port's callers (one-shot labels and reports),
 * which retry through their own topics. Bill summaries use {@link ResponsesClient} directly and branch on them.
 */
final class OpenAiResponsesGenerator implements TextGenerator {

    private final ResponsesClient client;

    OpenAiResponsesGenerator(ResponsesClient client) {
        this.client = client;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        ResponseState state = client.create(request, false);
        if (state.status() != ResponseStatus.COMPLETED) {
            throw new AiProviderException("openai response " + state.status().wire() + ": " + state.failure(), 200,
                    true, null, null);
        }
        return new Generation(state.text(), state.model(), state.inputTokens(), state.outputTokens());
    }
}
