package dev.sift.security;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * Which tokens a service accepts (docs/contracts.md, Tokens), and for the gateway, which key it signs with.
 *
 * @param issuer the only accepted {@code iss}
 * @param audience a value {@code aud} must contain
 * @param publicKeyLocations PEM (SPKI) public keys or JWK / JWK-set JSON files; a PEM key's {@code kid}
 *     is its RFC 7638 SHA-256 thumbprint, a JWK's is its own {@code kid} (or the thumbprint when absent)
 * @param jwkSetUri a JWK set to trust as well; fetched when a token names a {@code kid} not yet known
 * @param jwkSetCacheTtl how long a fetched JWK set is used before it is fetched again
 * @param jwkSetRefetchInterval the least time between two fetches, so unknown {@code kid}s cannot
 *     make a service hammer the key server
 * @param clockSkew tolerance on {@code exp} and {@code nbf}; at most 30 s
 * @param privateKeyLocation the gateway's signing key (PKCS#8 PEM); other services leave it empty
 * @param keyId the signing key's {@code kid}; its thumbprint when empty
 */
@Validated
@ConfigurationProperties("sift.security.jwt")
public record SiftJwtProperties(
        @DefaultValue("sift") @NotBlank String issuer,
        @DefaultValue("sift-api") @NotBlank String audience,
        @DefaultValue List<Resource> publicKeyLocations,
        @Nullable URI jwkSetUri,
        @DefaultValue("5m") @DurationMin(seconds = 1) Duration jwkSetCacheTtl,
        @DefaultValue("30s") @DurationMin(millis = 0) Duration jwkSetRefetchInterval,
        @DefaultValue("30s") @DurationMin(millis = 0) @DurationMax(seconds = 30) Duration clockSkew,
        @Nullable Resource privateKeyLocation,
        @Nullable String keyId) {

    /**
     * The JWK set a service trusts when nothing else is configured: the gateway of the local stack,
     * which generates its signing key at start. Production configures keys explicitly.
     */
    public static final URI LOCAL_GATEWAY_JWK_SET_URI = URI.create("http://127.0.0.1:8080/.well-known/jwks.json");
}
