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
        try (JwkSetServer server = new JwkSetServer(Duration.ZERO, TRUSTED)) {
            SiftJwtDecoder fetching = decoderTrusting(
                    new TrustedKeys(List.of(), server.uri(), Duration.ofMinutes(5), Duration.ofMinutes(1), Clock.systemUTC()));

            assertThat(fetching.decode(TRUSTED.mintForAnyone("MEMBER")).block()).isNotNull();
            assertThat(fetching.decode(TRUSTED.mintForAnyone("MEMBER")).block()).isNotNull();
            assertThat(server.fetches).hasValue(1);

            // A rotated-in key published now is not fetched again within the refetch interval.
            server.publish(OTHER);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> fetching.decode(OTHER.token().keyId("forged-" + Math.random()).sign()).block())
                        .isInstanceOf(BadJwtException.class);
            }
            assertThat(server.fetches).hasValue(1);
        }
    }

    @Test
    void concurrentRequestsDuringTheFirstJwkSetFetchWaitForItInsteadOfFailing() throws IOException {
        // A service that has just started receives a burst of valid tokens: every one of them must wait for
        // the one JWK-set fetch in flight, none may be refused because the set has not arrived yet.
        try (JwkSetServer server = new JwkSetServer(Duration.ofMillis(300), TRUSTED)) {
            SiftJwtDecoder fetching = decoderTrusting(
                    new TrustedKeys(List.of(), server.uri(), Duration.ofMinutes(5), Duration.ofMinutes(1), Clock.systemUTC()));
            String token = TRUSTED.mintForAnyone("MEMBER");

            List<Jwt> decoded = reactor.core.publisher.Flux.range(0, 64)
                    .flatMap(i -> fetching.decode(token).subscribeOn(reactor.core.scheduler.Schedulers.parallel()), 64)
                    .collectList()
                    .block(Duration.ofSeconds(10));

            assertThat(decoded).hasSize(64);
            assertThat(server.fetches).hasValue(1);
        }
    }

    @Test
    void forgetsKeyDroppedFromJwkSetOnceTheCacheExpires() throws IOException {
        assertRefusedSoonAfterTheKeyLeavesTheJwkSet(() -> TRUSTED.mintForAnyone("MEMBER"));
    }

    @Test
    void aVerifiedTokenIsRefusedOnceItsKeyLeavesTheJwkSet() throws IOException {
        String token = TRUSTED.mintForAnyone("MEMBER"); // the same token every time: a client reusing it
        assertRefusedSoonAfterTheKeyLeavesTheJwkSet(() -> token);
    }

    @Test
    void aVerifiedTokenIsReusedOnlyUntilItExpires() {
        Instant start = Instant.now();
        AtomicReference<Instant> now = new AtomicReference<>(start);
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        SiftJwtDecoder caching = new SiftJwtDecoder(TrustedKeys.of(List.of(TRUSTED.key())), "sift", "sift-api",
                Duration.ofSeconds(30), moving);
        String token = TRUSTED.token().expiresAt(start.plusSeconds(60)).sign();

        assertThat(caching.decode(token).block()).isNotNull();
        assertThat(caching.decode(token).block()).isNotNull();
        now.set(start.plusSeconds(120)); // past exp and the 30 s skew
        assertThatThrownBy(() -> caching.decode(token).block()).isInstanceOf(BadJwtException.class);
    }

    /** With a 1 s JWK-set cache, tokens of a key dropped from the set are refused within 3 s. */
    private void assertRefusedSoonAfterTheKeyLeavesTheJwkSet(java.util.function.Supplier<String> tokens)
            throws IOException {
        try (JwkSetServer server = new JwkSetServer(Duration.ZERO, TRUSTED)) {
            SiftJwtDecoder fetching = decoderTrusting(
                    new TrustedKeys(List.of(), server.uri(), Duration.ofSeconds(1), Duration.ZERO, Clock.systemUTC()));
            assertThat(fetching.decode(tokens.get()).block()).isNotNull();

            server.publish();
            long started = System.nanoTime();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> fetching.decode(tokens.get()).block()).isInstanceOf(BadJwtException.class));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    /** A JWK-set endpoint on loopback that serves the keys last published, after a delay, and counts fetches. */
    private static final class JwkSetServer implements AutoCloseable {

        final AtomicInteger fetches = new AtomicInteger();
        private final AtomicReference<String> published = new AtomicReference<>();
        private final HttpServer server;

        JwkSetServer(Duration delay, TestTokens... keys) throws IOException {
            publish(keys);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/jwks.json", exchange -> {
                fetches.incrementAndGet();
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        void publish(TestTokens... keys) {
            published.set(java.util.Arrays.stream(keys).map(key -> key.key().toPublicJWK().toJSONString())
                    .collect(java.util.stream.Collectors.joining(",", "{\"keys\":[", "]}")));
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
        }

        @Override
        public void close() {
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
