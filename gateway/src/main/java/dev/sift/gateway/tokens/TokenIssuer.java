package dev.sift.gateway.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs Sift access tokens (docs/contracts.md, Tokens) with the gateway's key: guest tokens for
 * {@code POST /auth/guest}, and any token the local stack wants to print for its demo organisation.
 */
public final class TokenIssuer {

    private final SigningKey key;
    private final JWSSigner signer;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    TokenIssuer(SigningKey key, String issuer, String audience, Clock clock) {
        this.key = key;
        try {
            this.signer = new RSASSASigner(key.jwk());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("not an RSA signing key: " + e.getMessage(), e);
        }
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** A compact RS256 JWS for this subject, organisation and roles, valid for {@code ttl}. */
    public String issue(String subject, String organizationId, List<String> roles, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .claim("org", organizationId)
                .claim("roles", List.copyOf(roles))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.keyId())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** A token for a fresh guest: new subject, new organisation, role GUEST. */
    public String issueGuest(Duration ttl) {
        return issue(UUID.randomUUID().toString(), UUID.randomUUID().toString(), List.of("GUEST"), ttl);
    }
}
