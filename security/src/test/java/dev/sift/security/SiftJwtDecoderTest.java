package dev.sift.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.sift.testing.TestTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

class SiftJwtDecoderTest {

    private static final TestTokens TRUSTED = TestTokens.generate();
    private static final TestTokens OTHER = TestTokens.generate();

    private final SiftJwtDecoder decoder = decoderTrusting(TrustedKeys.of(List.of(TRUSTED.key())));

    private static SiftJwtDecoder decoderTrusting(TrustedKeys keys) {
        return new SiftJwtDecoder(keys, "sift", "sift-api", Duration.ofSeconds(30), Clock.systemUTC());
    }

    @Test
    void acceptsValidTokenAndExposesIdentity() {
        String org = "5b0c1a8e-4a0e-4d8f-9a51-3f7f0e1a2b3c";
        Jwt jwt = decoder.decode(TRUSTED.mint("user-1", org, "MEMBER", "ADMIN")).block();

        assertThat(SiftIdentity.of(jwt)).isEqualTo(new SiftIdentity("user-1", org, java.util.Set.of("MEMBER", "ADMIN")));
    }

    @Test
    void rejectsAlgNone() {
        String payload = TRUSTED.token().claims().toString();
        String token = b64("{\"alg\":\"none\",\"kid\":\"" + TRUSTED.keyId() + "\"}") + "." + b64(payload) + ".";
        assertRejected(token, "");
    }

    @Test
    void rejectsTokenSignedWithHmacUsingThePublicKeyBytes() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(TRUSTED.keyId()).build(),
                TRUSTED.token().claims());
        jwt.sign(new MACSigner(TRUSTED.key().toPublicKey().getEncoded()));
        assertRejected(jwt.serialize(), "not accepted");
    }

    @Test
    void rejectsTokenOfUnknownKeyEvenWithTrustedKid() {
        assertRejected(OTHER.token().keyId(TRUSTED.keyId()).sign(), "signature");
    }

    @Test
    void rejectsUnknownAndMissingKid() {
        assertRejected(TRUSTED.token().keyId("unknown").sign(), "kid");
        assertRejected(TRUSTED.token().keyId(null).sign(), "kid");
    }

    @Test
    void rejectsExpiredFutureWrongIssuerAndWrongAudience() {
        assertRejected(TRUSTED.token().expiresAt(Instant.now().minusSeconds(31)).sign(), "expired");
        assertRejected(TRUSTED.token().expiresAt(null).sign(), "exp");
        assertRejected(TRUSTED.token().notBefore(Instant.now().plusSeconds(60)).sign(), "");
        assertRejected(TRUSTED.token().issuer("someone-else").sign(), "iss");
        assertRejected(TRUSTED.token().audience("other-api").sign(), "aud");
    }

    @Test
    void toleratesClockSkewOfThirtySeconds() {
        assertThat(decoder.decode(TRUSTED.token().expiresAt(Instant.now().minusSeconds(20)).sign()).block()).isNotNull();
    }

    @Test
    void rejectsMissingSiftClaims() {
        assertRejected(TRUSTED.token().subject(null).sign(), "sub");
        assertRejected(TRUSTED.token().organization(null).sign(), "org");
        assertRejected(TRUSTED.token().organization("not-a-uuid").sign(), "org");
        assertRejected(TRUSTED.token().claim("roles", null).sign(), "roles");
        assertRejected(TRUSTED.token().claim("roles", "ADMIN").sign(), "roles");
    }

    @Test
    void rejectsJkuHeaderInsteadOfFollowingIt() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(TRUSTED.keyId())
                .jwkURL(URI.create("https://attacker.example/jwks.json")).build(), TRUSTED.token().claims());
        jwt.sign(new RSASSASigner(TRUSTED.key()));
        assertRejected(jwt.serialize(), "jku");
    }

    @Test
    void trustsSeveralKeysAtOnceAndForgetsADroppedOne() {
        SiftJwtDecoder both = decoderTrusting(TrustedKeys.of(List.of(TRUSTED.key(), OTHER.key())));
        assertThat(both.decode(TRUSTED.mintForAnyone("MEMBER")).block()).isNotNull();
        assertThat(both.decode(OTHER.mintForAnyone("MEMBER")).block()).isNotNull();

        SiftJwtDecoder afterRotation = decoderTrusting(TrustedKeys.of(List.of(OTHER.key())));
        assertThat(afterRotation.decode(OTHER.mintForAnyone("MEMBER")).block()).isNotNull();
        assertThatThrownBy(() -> afterRotation.decode(TRUSTED.mintForAnyone("MEMBER")).block()).isInstanceOf(BadJwtException.class);
    }

    @Test
    void fetchesJwkSetOnUnknownKidAndRateLimitsRefetches() throws IOException {
        AtomicReference<String> published = new AtomicReference<>("{\"keys\":[" + TRUSTED.key().toPublicJWK().toJSONString() + "]}");
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
            SiftJwtDecoder fetching = decoderTrusting(
                    new TrustedKeys(List.of(), uri, Duration.ofMinutes(5), Duration.ofMinutes(1), Clock.systemUTC()));

            assertThat(fetching.decode(TRUSTED.mintForAnyone("MEMBER")).block()).isNotNull();
            assertThat(fetching.decode(TRUSTED.mintForAnyone("MEMBER")).block()).isNotNull();
            assertThat(fetches).hasValue(1);

            // A rotated-in key published now is not fetched again within the refetch interval.
            published.set("{\"keys\":[" + OTHER.key().toPublicJWK().toJSONString() + "]}");
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> fetching.decode(OTHER.token().keyId("forged-" + Math.random()).sign()).block())
                        .isInstanceOf(BadJwtException.class);
            }
            assertThat(fetches).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void forgetsKeyDroppedFromJwkSetOnceTheCacheExpires() throws IOException {
        AtomicReference<String> published = new AtomicReference<>("{\"keys\":[" + TRUSTED.key().toPublicJWK().toJSONString() + "]}");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
            SiftJwtDecoder fetching = decoderTrusting(
                    new TrustedKeys(List.of(), uri, Duration.ofSeconds(1), Duration.ZERO, Clock.systemUTC()));
            assertThat(fetching.decode(TRUSTED.mintForAnyone("MEMBER")).block()).isNotNull();

            published.set("{\"keys\":[]}");
            long started = System.nanoTime();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> fetching.decode(TRUSTED.mintForAnyone("MEMBER")).block())
                            .isInstanceOf(BadJwtException.class));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        } finally {
            server.stop(0);
        }
    }

    private void assertRejected(String token, String reason) {
        assertThatThrownBy(() -> decoder.decode(token).block())
                .isInstanceOf(BadJwtException.class)
                .hasMessageContaining(reason);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
