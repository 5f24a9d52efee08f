package dev.sift.ai;

/**
 * What one request to a provider may carry. Requests are split only at these limits.
 *
 * @param maxInputs texts per request
 * @param maxTokens estimated tokens per request
 * @param maxInputTokens estimated tokens of one text; a longer text is embedded by its beginning
 *        ({@link #fitInput}), since the provider would refuse the whole request (a 400) for it
 */
public record ProviderLimits(int maxInputs, long maxTokens, long maxInputTokens) {

    /** Voyage AI (voyage-3.5): 1,000 inputs, 320,000 tokens, a context of 32,000 tokens per text. */
    public static final ProviderLimits VOYAGE = new ProviderLimits(1_000, 320_000, 32_000);

    /** OpenAI embeddings: 2,048 inputs, 300,000 tokens, 8,192 tokens per text. */
    public static final ProviderLimits OPENAI = new ProviderLimits(2_048, 300_000, 8_192);

    /** The in-process model: bounded only to keep one inference's memory small (it truncates texts itself). */
    public static final ProviderLimits LOCAL = new ProviderLimits(256, Long.MAX_VALUE, Long.MAX_VALUE);

    /**
     * {@code text}, or its beginning when its estimate exceeds {@link #maxInputTokens}: the longest prefix whose
     * estimate fits (the estimate is an upper bound, so the provider's own count fits too). A surrogate pair is
     * never cut in half.
     */
    public String fitInput(String text) {
        if (estimateTokens(text) <= maxInputTokens) {
            return text;
        }
        int end = (int) Math.min(text.length(), (maxInputTokens - 2) * 3);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * A cheap upper estimate of tokens (about four characters per token for English, more for other scripts), used
     * to split requests and to take from the tokens-per-minute bucket before the provider reports the real count.
     */
    public static long estimateTokens(String text) {
        return text.length() / 3 + 2;
    }
}
