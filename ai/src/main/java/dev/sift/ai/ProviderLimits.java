package dev.sift.ai;

/**
 * What one request to a provider may carry. Requests are split only at these limits.
 *
 * @param maxInputs texts per request
 * @param maxTokens estimated tokens per request
 */
public record ProviderLimits(int maxInputs, long maxTokens) {

    /** Voyage AI (voyage-3.5): 1,000 inputs, 320,000 tokens. */
    public static final ProviderLimits VOYAGE = new ProviderLimits(1_000, 320_000);

    /** OpenAI embeddings: 2,048 inputs, 300,000 tokens. */
    public static final ProviderLimits OPENAI = new ProviderLimits(2_048, 300_000);

    /** The in-process model: bounded only to keep one inference's memory small. */
    public static final ProviderLimits LOCAL = new ProviderLimits(256, Long.MAX_VALUE);

    /**
     * A cheap upper estimate of tokens (about four characters per token for English, more for other scripts), used
     * to split requests and to take from the tokens-per-minute bucket before the provider reports the real count.
     */
    public static long estimateTokens(String text) {
        return text.length() / 3 + 2;
    }
}
