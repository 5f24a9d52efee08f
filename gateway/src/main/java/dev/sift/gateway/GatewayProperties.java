package dev.sift.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What the gateway does at the edge besides verifying tokens.
 *
 * @param feedbackServiceUri where {@code /api/feedback/**} and {@code /api/clusters/**} go
 * @param reportServiceUri where {@code /api/bills/**} and {@code /api/instructors/**} go
 * @param downstreamTimeout how long a service may take to answer before the client gets 504
 * @param guestTokenTtl lifetime of a token from {@code POST /auth/guest}
 * @param maxRequestBody larger request bodies are answered 413 before reaching a service
 * @param identityHeaderPrefixes request headers (lower-case prefixes) removed before forwarding:
 *     identity travels only in the verified token, never in a header a client could set
 * @param rateLimit the per-subject token bucket
 * @param cors cross-origin access for browser clients; none unless origins are listed
 * @param generatedKeyDirectory where a generated signing key's public PEM is written (a fresh
 *     temporary directory when empty)
 */
@Validated
@ConfigurationProperties("sift.gateway")
public record GatewayProperties(
        @DefaultValue("http://127.0.0.1:8081") URI feedbackServiceUri,
        @DefaultValue("http://127.0.0.1:8082") URI reportServiceUri,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration downstreamTimeout,
        @DefaultValue("1h") @DurationMin(seconds = 1) Duration guestTokenTtl,
        @DefaultValue("1MB") DataSize maxRequestBody,
        @DefaultValue({"x-user", "x-org", "x-forwarded-user", "x-forwarded-email", "x-forwarded-groups",
                "x-forwarded-preferred-username", "x-forwarded-access-token", "x-auth", "x-authenticated",
                "x-remote-user", "remote-user", "x-sift-", "x-roles", "x-tenant", "x-subject", "x-identity",
                "x-principal", "x-jwt", "x-consumer-", "x-credential"}) List<String> identityHeaderPrefixes,
        @DefaultValue @Valid RateLimit rateLimit,
        @DefaultValue Cors cors,
        @Nullable Path generatedKeyDirectory) {

    /**
     * A token bucket per subject (and per client address for {@code POST /auth/guest}): up to
     * {@code capacity} requests at once, refilled by {@code refillTokens} every {@code refillPeriod}.
     * Kept in Redis when {@code spring.data.redis.host} or {@code .url} is set, so all gateway
     * instances share one budget; in memory otherwise.
     */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("100") @Min(1) long capacity,
            @DefaultValue("50") @Min(1) long refillTokens,
            @DefaultValue("1s") @DurationMin(millis = 1) Duration refillPeriod,
            @DefaultValue("10") @Min(1) long guestCapacity,
            @DefaultValue("1m") @DurationMin(millis = 1) Duration guestRefillPeriod) {
    }

    /** CORS for browser clients; {@code allowedOrigins} empty means no cross-origin access. */
    public record Cors(
            @DefaultValue List<String> allowedOrigins,
            @DefaultValue({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) List<String> allowedMethods,
            @DefaultValue({"Authorization", "Content-Type", "Idempotency-Key"}) List<String> allowedHeaders,
            @DefaultValue({"Location", "Retry-After"}) List<String> exposedHeaders,
            @DefaultValue("30m") Duration maxAge) {
    }
}
