package dev.sift.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An RSA key pair for tests that mints Sift tokens (docs/contracts.md, Tokens) and tells a service
 * under test to trust it: {@link #properties()} sets {@code sift.security.jwt.public-key-locations}
 * to a PEM file this class wrote. {@link #shared()} is one key per test JVM; {@link #generate()} a
 * fresh one, for "unknown key" and rotation tests.
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void trust(DynamicPropertyRegistry registry) {
 *     TestTokens.shared().properties().forEach((name, value) -> registry.add(name, () -> value));
 * }
 * ... .header("Authorization", "Bearer " + TestTokens.shared().mint("user-1", org, "MEMBER"))
 * }</pre>
 */
public final class TestTokens {

    public static final String ISSUER = "sift";
    public static final String AUDIENCE = "sift-api";

    private static final class Shared {
        static final TestTokens INSTANCE = generate();
    }

    private final RSAKey key;
    private final Path publicKeyPem;

    private TestTokens(RSAKey key, Path publicKeyPem) {
        this.key = key;
        this.publicKeyPem = publicKeyPem;
    }

    /** One key pair for the whole test JVM, so every context of a test run trusts the same key. */
    public static TestTokens shared() {
        return Shared.INSTANCE;
    }

    /** A fresh 2048-bit RSA key pair; {@code kid} is its RFC 7638 thumbprint, as Sift names PEM keys. */
    public static TestTokens generate() {
        try {
            RSAKey generated = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).generate();
            RSAKey key = new RSAKey.Builder(generated).keyID(generated.computeThumbprint().toString()).build();
            Path pem = Files.createTempFile("sift-test-key-", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, pem(key), StandardCharsets.US_ASCII);
            return new TestTokens(key, pem);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key pair as a JWK, private part included. */
    public RSAKey key() {
        return key;
    }

    public String keyId() {
        return key.getKeyID();
    }

    /** The SPKI PEM file of the public key. */
    public Path publicKeyPem() {
        return publicKeyPem;
    }

    /** The private key as PKCS#8 PEM, as the gateway and {@code sift token} read it. */
    public String privateKeyPem() {
        try {
            return block("PRIVATE KEY", key.toPrivateKey().getEncoded());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Properties that make a service trust this key (and only it), with the default issuer and audience. */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sift.security.jwt.public-key-locations", publicKeyLocation());
        properties.put("sift.security.jwt.issuer", ISSUER);
        properties.put("sift.security.jwt.audience", AUDIENCE);
        return properties;
    }

    /** {@code file:} location of the public key, for {@code sift.security.jwt.public-key-locations}. */
    public String publicKeyLocation() {
        return publicKeyPem.toUri().toString();
    }

    /** A valid token for one hour. */
    public String mint(String subject, String organizationId, String... roles) {
        return token().subject(subject).organization(organizationId).roles(roles).sign();
    }

    /** A valid token for a fresh subject and organisation. */
    public String mintForAnyone(String... roles) {
        return mint(UUID.randomUUID().toString(), UUID.randomUUID().toString(), roles);
    }

    /** A token builder, valid by default; change what a test needs. */
    public Builder token() {
        return new Builder();
    }

    /** Builds one token; every setter can also make it invalid (null removes a claim). */
    public final class Builder {

        private @Nullable String keyId = key.getKeyID();
        private final Map<String, @Nullable Object> claims = new LinkedHashMap<>();

        private Builder() {
            Instant now = Instant.now();
            claims.put("iss", ISSUER);
            claims.put("aud", List.of(AUDIENCE));
            claims.put("sub", UUID.randomUUID().toString());
            claims.put("org", UUID.randomUUID().toString());
            claims.put("roles", List.of("MEMBER"));
            claims.put("iat", Date.from(now));
            claims.put("exp", Date.from(now.plus(Duration.ofHours(1))));
            claims.put("jti", UUID.randomUUID().toString());
        }

        public Builder subject(@Nullable String subject) {
            return claim("sub", subject);
        }

        public Builder organization(@Nullable String organizationId) {
            return claim("org", organizationId);
        }

        public Builder roles(String... roles) {
            return claim("roles", List.of(roles));
        }

        public Builder issuer(@Nullable String issuer) {
            return claim("iss", issuer);
        }

        public Builder audience(@Nullable String audience) {
            return claim("aud", audience == null ? null : List.of(audience));
        }

        /** Also moves {@code iat} before the expiry, so an expired token is not also malformed. */
        public Builder expiresAt(@Nullable Instant expiry) {
            if (expiry != null) {
                claims.put("iat", Date.from(expiry.minus(Duration.ofHours(1))));
            }
            return claim("exp", expiry == null ? null : Date.from(expiry));
        }

        public Builder notBefore(@Nullable Instant notBefore) {
            return claim("nbf", notBefore == null ? null : Date.from(notBefore));
        }

        /** The header's {@code kid}; null leaves it out. */
        public Builder keyId(@Nullable String kid) {
            this.keyId = kid;
            return this;
        }

        public Builder claim(String name, @Nullable Object value) {
            claims.put(name, value);
            return this;
        }

        /** The claims as they would be signed, for tests that sign by other means. */
        public JWTClaimsSet claims() {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
            claims.forEach((name, value) -> {
                if (value != null) {
                    builder.claim(name, value);
                }
            });
            return builder.build();
        }

        /** The compact JWS, RS256 with this key pair. */
        public String sign() {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims());
                jwt.sign(new RSASSASigner(key));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String pem(RSAKey key) throws JOSEException {
        return block("PUBLIC KEY", key.toPublicKey().getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
