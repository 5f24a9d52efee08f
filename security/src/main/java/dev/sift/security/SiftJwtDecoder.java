package dev.sift.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Verifies Sift bearer tokens following RFC 8725: the algorithm comes from an allow-list of
 * asymmetric ones and must fit the key; the key is chosen only by the header's {@code kid} among
 * {@link TrustedKeys} (never from {@code jku}, {@code x5u}, {@code x5c} or an embedded {@code jwk},
 * which are refused outright); then {@code iss}, {@code aud}, {@code exp}, {@code nbf} and the claims
 * Sift relies on ({@code sub}, {@code org}, {@code roles}) are checked.
 */
public final class SiftJwtDecoder implements ReactiveJwtDecoder {

    /** The algorithms accepted; RS256 is what Sift issues, PS256 and ES256 are allowed for other issuers. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final int MIN_RSA_BITS = 2048;

    /** Verified tokens kept at most this long, so a key dropped from a JWK set stops working soon after. */
    static final Duration MAX_CACHED = Duration.ofMinutes(1);
    private static final int CACHED_TOKENS = 4096;

    private final TrustedKeys keys;
    private final NimbusReactiveJwtDecoder delegate;
    private final Clock clock;
    /**
     * Tokens already verified, by their exact text. A client sends the same token with every request for
     * up to an hour, and verifying it again (JSON parsing, an RSA signature check, validation) costs more
     * CPU than anything else the gateway does per request. A hit is only used while the token is unexpired
     * and the trusted keys are those it was verified with; otherwise it is verified again.
     */
    private final @Nullable Cache<String, Verified> verified;

    private record Verified(Jwt jwt, long keyGeneration) {
    }

    public SiftJwtDecoder(TrustedKeys keys, String issuer, String audience, Duration clockSkew, Clock clock) {
        this(keys, issuer, audience, clockSkew, clock, CACHED_TOKENS);
    }

    /** With {@code cachedTokens} 0 every token is verified on every call (the benchmark's uncached case). */
    SiftJwtDecoder(TrustedKeys keys, String issuer, String audience, Duration clockSkew, Clock clock, int cachedTokens) {
        this.keys = keys;
        this.clock = clock;
        this.verified = cachedTokens == 0 ? null : Caffeine.newBuilder()
                .maximumSize(cachedTokens)
                .expireAfterWrite(keys.reuseLimit(MAX_CACHED))
                .build();
        this.delegate = new NimbusReactiveJwtDecoder(this::verify);
        JwtTimestampValidator timestamps = new JwtTimestampValidator(clockSkew);
        timestamps.setClock(clock);
        timestamps.setAllowEmptyExpiryClaim(false);
        this.delegate.setJwtValidator(new DelegatingOAuth2TokenValidator<>(List.of(
                timestamps,
                new JwtIssuerValidator(issuer),
                new JwtClaimValidator<Collection<String>>("aud", aud -> aud != null && aud.contains(audience)),
                SiftJwtDecoder::requireSiftClaims)));
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Cache<String, Verified> cache = verified;
        if (cache == null) {
            return delegate.decode(token);
        }
        Verified hit = cache.getIfPresent(token);
        if (hit != null && hit.keyGeneration() == keys.generation() && stillValid(hit.jwt())) {
            return Mono.just(hit.jwt());
        }
        long generation = keys.generation();
        return delegate.decode(token).doOnNext(jwt -> cache.put(token, new Verified(jwt, generation)));
    }

    private boolean stillValid(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt != null && clock.instant().isBefore(expiresAt);
    }

    private Mono<JWTClaimsSet> verify(JWT jwt) {
        if (!(jwt instanceof SignedJWT signed)) {
            return Mono.error(new BadJwtException("Only signed tokens (JWS) are accepted"));
        }
        JWSHeader header = signed.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            return Mono.error(new BadJwtException("Algorithm " + header.getAlgorithm() + " is not accepted"));
        }
        if (header.getJWKURL() != null || header.getX509CertURL() != null || header.getJWK() != null
                || header.getX509CertChain() != null) {
            return Mono.error(new BadJwtException("Tokens naming or embedding their own key (jku, x5u, jwk, x5c) are refused"));
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isBlank()) {
            return Mono.error(new BadJwtException("The token header has no kid"));
        }
        return keys.find(kid)
                .switchIfEmpty(Mono.error(() -> new BadJwtException("No trusted key has kid " + kid)))
                .flatMap(key -> {
                    try {
                        if (!signed.verify(verifierFor(header.getAlgorithm(), key))) {
                            return Mono.error(new BadJwtException("Invalid signature"));
                        }
                        return Mono.just(signed.getJWTClaimsSet());
                    } catch (JOSEException | ParseException e) {
                        return Mono.error(new BadJwtException("Cannot verify the token: " + e.getMessage(), e));
                    }
                });
    }

    private static JWSVerifier verifierFor(JWSAlgorithm algorithm, JWK key) throws JOSEException {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new JOSEException("the key is not a signing key");
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
            throw new JOSEException("the key is for " + key.getAlgorithm() + ", not " + algorithm);
        }
        if ((JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.PS256.equals(algorithm)) && key instanceof RSAKey rsa) {
            if (rsa.size() < MIN_RSA_BITS) {
                throw new JOSEException("RSA keys shorter than " + MIN_RSA_BITS + " bits are refused");
            }
            return new RSASSAVerifier(rsa);
        }
        if (JWSAlgorithm.ES256.equals(algorithm) && key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return new ECDSAVerifier(ec);
        }
        throw new JOSEException("the key " + key.getKeyType() + " does not fit " + algorithm);
    }

    private static OAuth2TokenValidatorResult requireSiftClaims(Jwt jwt) {
        String sub = jwt.getSubject();
        if (sub == null || sub.isBlank()) {
            return invalid("The token has no sub");
        }
        if (!(jwt.getClaims().get("org") instanceof String org) || !isUuid(org)) {
            return invalid("The token has no org (an organisation id)");
        }
        if (!(jwt.getClaims().get("roles") instanceof Collection<?> roles) || roles.isEmpty()
                || !roles.stream().allMatch(role -> role instanceof String name && !name.isBlank())) {
            return invalid("The token has no roles");
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static boolean isUuid(String value) {
        try {
            UUID.fromString(value);
            return value.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static OAuth2TokenValidatorResult invalid(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }
}
