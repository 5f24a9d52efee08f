package dev.sift.ai;

/** A 4xx other than 408/409/429: the same request will fail again, so callers dead-letter instead of retrying. */
public class PermanentAiProviderException extends AiProviderException {

    public PermanentAiProviderException(String message, int status) {
        super(message, status, false, null, null);
    }
}
