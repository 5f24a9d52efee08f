package dev.sift.ai;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A provider call failed. {@link #retryable()} follows the providers' rules: 408, 409, 429, 5xx, timeouts and
 * connection failures may succeed later; every other 4xx is permanent for that request.
 */
public class AiProviderException extends RuntimeException {

    private final int status;
    private final boolean retryable;
    private final @Nullable Duration retryAfter;

    public AiProviderException(String message, int status, boolean retryable, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** An HTTP answer: retryable or not by its status code. */
    public static AiProviderException ofStatus(String provider, int status, String body,
            @Nullable Duration retryAfter) {
        boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
        String message = provider + " answered " + status + ": " + abbreviate(body);
        return retryable ? new AiProviderException(message, status, true, retryAfter, null)
                : new PermanentAiProviderException(message, status);
    }

    /** No answer (timeout, connection refused): worth retrying. */
    public static AiProviderException unreachable(String provider, Throwable cause) {
        return new AiProviderException(provider + " unreachable: " + cause, 0, true, null, cause);
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
