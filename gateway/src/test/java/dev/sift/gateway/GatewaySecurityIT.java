package dev.sift.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.sift.testing.TestTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * The gateway's refusals, through the running gateway to a real HTTP downstream (an echo stand-in):
 * every bad token is answered 401 problem+json and never reaches the service; good tokens arrive
 * with {@code Authorization} intact and without client-sent identity headers. Tokens are built
 * with Nimbus ({@link TestTokens}) and, independently, by hand with the JDK ({@link HandRolledJws}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = GatewayApplication.class)
@AutoConfigureWebTestClient
class GatewaySecurityIT {

    static final EchoService ECHO = new EchoService();
    /** Trusted through {@code public-key-locations} (a PEM file). */
    static final TestTokens TRUSTED = TestTokens.shared();
    /** Trusted through the JWK set the echo stand-in publishes; dropped by the rotation test. */
    static final TestTokens ROTATED = TestTokens.generate();
    /** Trusted nowhere. */
    static final TestTokens STRANGER = TestTokens.generate();
    static final String ORG = "7d1f4a52-3c6b-4f0e-9e8a-2b5c6d7e8f90";

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        ECHO.publishJwkSet("{\"keys\":[" + ROTATED.key().toPublicJWK().toJSONString() + "]}");
        registry.add("sift.gateway.feedback-service-uri", ECHO::baseUrl);
        registry.add("sift.gateway.report-service-uri", () -> "http://127.0.0.1:" + closedPort());
        registry.add("sift.security.jwt.public-key-locations", TRUSTED::publicKeyLocation);
        registry.add("sift.security.jwt.jwk-set-uri", () -> ECHO.baseUrl() + "/jwks.json");
        registry.add("sift.security.jwt.jwk-set-cache-ttl", () -> "1s");
        registry.add("sift.security.jwt.jwk-set-refetch-interval", () -> "0s");
        registry.add("sift.gateway.max-request-body", () -> "1KB");
        registry.add("sift.gateway.downstream-timeout", () -> "1s");
        registry.add("sift.gateway.rate-limit.capacity", () -> "5");
        registry.add("sift.gateway.rate-limit.refill-tokens", () -> "1");
        registry.add("sift.gateway.rate-limit.refill-period", () -> "1m");
        registry.add("sift.gateway.cors.allowed-origins", () -> "https://app.example");
        String keyDirectory = Files.createTempDirectory("sift-gateway-it").toString();
        registry.add("sift.gateway.generated-key-directory", () -> keyDirectory);
        registry.add("logging.structured.format.console", () -> "");
    }

    @AfterAll
    static void stopEcho() {
        ECHO.close();
    }

    @Autowired
    WebTestClient client;

    // --- what passes -------------------------------------------------------------------------

    @Test
    void validTokenReachesServiceWithAuthorizationForwarded() {
        String token = TRUSTED.mint("user-1", ORG, "MEMBER");
        Map<String, Object> echoed = callFeedback(token).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(echoed).containsEntry("path", "/api/feedback/42");
        assertThat(headers(echoed)).containsEntry("authorization", "Bearer " + token);
    }

    @Test
    void tokenSignedByHandWithJdkSignatureIsAccepted() throws JOSEException {
        String token = HandRolledJws.rs256("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + TRUSTED.keyId() + "\"}",
                HandRolledJws.payload("user-2", ORG, "[\"ADMIN\"]"), TRUSTED.key().toPrivateKey());
        callFeedback(token).expectStatus().isOk();
    }

    @Test
    void guestTokenIsIssuedAndAccepted() throws ParseException {
        Map<String, Object> issued = client.post().uri("/auth/guest").exchange()
                .expectStatus().isOk()
                .expectHeader().cacheControl(org.springframework.http.CacheControl.noStore())
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(issued).containsEntry("token_type", "Bearer").containsEntry("expires_in", 3600);
        String token = (String) issued.get("access_token");
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("roles")).containsExactly("GUEST");
        assertThat(claims.getIssuer()).isEqualTo("sift");
        assertThat(claims.getAudience()).containsExactly("sift-api");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(UUID.fromString(claims.getSubject())).isNotNull();
        assertThat(UUID.fromString(claims.getStringClaim("org"))).isNotNull();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())).hasHours(1);
        callFeedback(token).expectStatus().isOk();
    }

    @Test
    void jwkSetPublishesPublicKeysOnly() {
        client.get().uri("/.well-known/jwks.json").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.keys[?(@.kid == '" + TRUSTED.keyId() + "')].kty").isEqualTo("RSA")
                .jsonPath("$.keys[*].d").doesNotExist()
                .jsonPath("$.keys.length()").value(count -> assertThat((Integer) count).isGreaterThanOrEqualTo(2));
    }

    @Test
    void actuatorHealthNeedsNoToken() {
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    // --- bad tokens: 401 problem+json, nothing reaches the service -----------------------------

    @Test
    void rejectsMissingToken() {
        client.get().uri("/api/feedback/42").exchange().expectStatus().isUnauthorized();
        assertRefusedBeforeService(null, "bearer token is required");
    }

    @Test
    void rejectsAlgNone() {
        assertRefusedBeforeService(HandRolledJws.unsigned("{\"alg\":\"none\",\"kid\":\"" + TRUSTED.keyId() + "\"}",
                HandRolledJws.payload("user-3", ORG, "[\"ADMIN\"]")), "");
    }

    @Test
    void rejectsHs256SignedWithThePublicKeyBytes() throws JOSEException {
        RSAKey trusted = TRUSTED.key();
        assertRefusedBeforeService(HandRolledJws.hs256("{\"alg\":\"HS256\",\"kid\":\"" + TRUSTED.keyId() + "\"}",
                HandRolledJws.payload("user-4", ORG, "[\"ADMIN\"]"), trusted.toPublicKey().getEncoded()), "HS256");
        // The PEM text is what an attacker would most likely use as the HMAC secret.
        assertRefusedBeforeService(HandRolledJws.hs256("{\"alg\":\"HS256\",\"kid\":\"" + TRUSTED.keyId() + "\"}",
                HandRolledJws.payload("user-4", ORG, "[\"ADMIN\"]"), readPem()), "HS256");
    }

    @Test
    void rejectsTamperedSignature() {
        String token = TRUSTED.mint("user-5", ORG, "MEMBER");
        int last = token.length() - 5;
        char flipped = token.charAt(last) == 'A' ? 'B' : 'A';
        assertRefusedBeforeService(token.substring(0, last) + flipped + token.substring(last + 1), "signature");
    }

    @Test
    void rejectsTamperedPayload() {
        String[] parts = TRUSTED.mint("user-6", ORG, "MEMBER").split("\\.");
        String escalated = HandRolledJws.decode(parts[1]).replace("\"MEMBER\"", "\"ADMIN\"");
        assertThat(escalated).contains("ADMIN");
        assertRefusedBeforeService(parts[0] + "." + HandRolledJws.b64(escalated) + "." + parts[2], "signature");
    }

    @Test
    void rejectsTokenOfUnknownKey() {
        assertRefusedBeforeService(STRANGER.mint("user-7", ORG, "MEMBER"), "kid");
        assertRefusedBeforeService(STRANGER.token().keyId(TRUSTED.keyId()).sign(), "signature");
    }

    @Test
    void rejectsUnknownKid() {
        assertRefusedBeforeService(TRUSTED.token().keyId("no-such-key").sign(), "kid");
    }

    @Test
    void rejectsMissingKid() throws JOSEException {
        assertRefusedBeforeService(TRUSTED.token().keyId(null).sign(), "kid");
        assertRefusedBeforeService(HandRolledJws.rs256("{\"alg\":\"RS256\"}", HandRolledJws.payload("user-8", ORG, "[\"MEMBER\"]"),
                TRUSTED.key().toPrivateKey()), "kid");
    }

    @Test
    void rejectsExpiredToken() {
        assertRefusedBeforeService(TRUSTED.token().expiresAt(Instant.now().minusSeconds(60)).sign(), "expired");
    }

    @Test
    void rejectsTokenNotYetValid() {
        assertRefusedBeforeService(TRUSTED.token().notBefore(Instant.now().plusSeconds(120)).sign(), "");
    }

    @Test
    void rejectsWrongIssuer() {
        assertRefusedBeforeService(TRUSTED.token().issuer("https://evil.example").sign(), "iss");
    }

    @Test
    void rejectsWrongAudience() {
        assertRefusedBeforeService(TRUSTED.token().audience("another-api").sign(), "aud");
    }

    @Test
    void rejectsMissingSubOrgOrRoles() {
        assertRefusedBeforeService(TRUSTED.token().subject(null).sign(), "sub");
        assertRefusedBeforeService(TRUSTED.token().organization(null).sign(), "org");
        assertRefusedBeforeService(TRUSTED.token().claim("roles", null).sign(), "roles");
    }

    @Test
    void rejectsTokenInQueryString() {
        int before = ECHO.apiRequests();
        String token = TRUSTED.mint("user-9", ORG, "MEMBER");
        expectProblem(client.get().uri("/api/feedback/42?access_token=" + token).exchange(), HttpStatus.UNAUTHORIZED, "unauthorized",
                "query string");
        assertThat(ECHO.apiRequests()).isEqualTo(before);
    }

    @Test
    void rejectsJkuHeaderWithoutFetchingIt() throws JOSEException {
        // The attacker's key is published where jku points; following it would make this token valid.
        String jku = ECHO.baseUrl() + "/attacker/jwks.json";
        String token = HandRolledJws.rs256("{\"alg\":\"RS256\",\"kid\":\"" + ROTATED.keyId() + "\",\"jku\":\"" + jku + "\"}",
                HandRolledJws.payload("user-10", ORG, "[\"ADMIN\"]"), ROTATED.key().toPrivateKey());
        assertRefusedBeforeService(token, "jku");
        String embedded = HandRolledJws.rs256("{\"alg\":\"RS256\",\"kid\":\"" + STRANGER.keyId() + "\",\"jwk\":"
                        + STRANGER.key().toPublicJWK().toJSONString() + "}",
                HandRolledJws.payload("user-10", ORG, "[\"ADMIN\"]"), STRANGER.key().toPrivateKey());
        assertRefusedBeforeService(embedded, "jwk");
        assertThat(ECHO.attackerKeyFetches()).isZero();
    }

    // --- identity headers ---------------------------------------------------------------------

    @Test
    void dropsClientSentIdentityHeadersBeforeTheService() {
        Map<String, Object> echoed = client.get().uri("/api/feedback/42")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TRUSTED.mint("user-11", ORG, "MEMBER"))
                .header("X-User-Id", "admin")
                .header("X-Org-Id", "00000000-0000-0000-0000-000000000000")
                .header("X-Forwarded-User", "admin")
                .header("X-Sift-Roles", "ADMIN")
                .header("X-Authenticated-Userid", "admin")
                .header("X-Request-Id", "keep-me")
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(headers(echoed)).doesNotContainKeys("x-user-id", "x-org-id", "x-forwarded-user", "x-sift-roles",
                "x-authenticated-userid").containsEntry("x-request-id", "keep-me");
    }

    // --- rotation -----------------------------------------------------------------------------

    @Test
    void trustsKeysFromFileAndJwkSetAndForgetsOneDroppedFromTheSet() {
        String rotatedToken = ROTATED.mint("user-12", ORG, "MEMBER");
        callFeedback(rotatedToken).expectStatus().isOk();
        callFeedback(TRUSTED.mint("user-12", ORG, "MEMBER")).expectStatus().isOk();

        ECHO.publishJwkSet("{\"keys\":[]}");
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    callFeedback(ROTATED.mint("user-13", ORG, "MEMBER")).expectStatus().isUnauthorized());
            // Another subject: the polling above may have spent user-13's rate-limit bucket while the old set was cached.
            callFeedback(TRUSTED.mint("user-13b", ORG, "MEMBER")).expectStatus().isOk();
        } finally {
            ECHO.publishJwkSet("{\"keys\":[" + ROTATED.key().toPublicJWK().toJSONString() + "]}");
        }
    }

    // --- the gateway's other refusals ---------------------------------------------------------

    @Test
    void downstreamDownIsA503Problem() {
        expectProblem(client.get().uri("/api/bills?date=2026-01-01")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TRUSTED.mint("user-14", ORG, "MEMBER")).exchange(),
                HttpStatus.SERVICE_UNAVAILABLE, "downstream-unavailable", "unavailable");
    }

    @Test
    void aServiceTooSlowToAnswerIsA504Problem() {
        long start = System.nanoTime();
        expectProblem(client.get().uri("/api/feedback/slow")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TRUSTED.mint("user-14b", ORG, "MEMBER")).exchange(),
                HttpStatus.GATEWAY_TIMEOUT, "downstream-timeout", "did not answer in time");
        // Cut by the 1 s downstream timeout, not by the service's answer after 3 s.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofMillis(2900));
    }

    @Test
    void oversizedBodyIsA413ProblemWithOrWithoutContentLength() {
        String token = TRUSTED.mint("user-15", ORG, "MEMBER");
        int before = ECHO.apiRequests();
        expectProblem(client.post().uri("/api/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("x".repeat(2048)).exchange(),
                HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "larger than");
        Flux<DataBuffer> chunked = Flux.range(0, 8).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[512]));
        client.post().uri("/api/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(chunked, DataBuffer.class).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(ECHO.apiRequests()).isEqualTo(before);

        client.post().uri("/api/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"fine\"}").exchange().expectStatus().isOk();
    }

    @Test
    void tooManyRequestsOfOneSubjectIsA429ProblemWithRetryAfter() {
        String token = TRUSTED.mint("user-16", ORG, "MEMBER");
        for (int i = 0; i < 5; i++) {
            callFeedback(token).expectStatus().isOk();
        }
        expectProblem(client.get().uri("/api/feedback/42").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange(),
                HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "retry after")
                .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Long.parseLong(value)).isBetween(1L, 60L));
        // Another subject has its own bucket.
        callFeedback(TRUSTED.mint("user-17", ORG, "MEMBER")).expectStatus().isOk();
    }

    @Test
    void unknownPathIsA404Problem() {
        expectProblem(client.get().uri("/api/nowhere")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TRUSTED.mint("user-18", ORG, "MEMBER")).exchange(),
                HttpStatus.NOT_FOUND, "not-found", "");
    }

    @Test
    void corsPreflightFromAllowedOriginNeedsNoToken() {
        client.options().uri("/api/feedback")
                .header(HttpHeaders.ORIGIN, "https://app.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "Authorization, Content-Type")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://app.example");
        client.options().uri("/api/feedback")
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange()
                .expectStatus().isForbidden();
    }

    // --- helpers ------------------------------------------------------------------------------

    private WebTestClient.ResponseSpec callFeedback(String token) {
        return client.get().uri("/api/feedback/42").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private void assertRefusedBeforeService(String token, String detail) {
        int before = ECHO.apiRequests();
        var request = client.get().uri("/api/feedback/42");
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        expectProblem(request.exchange(), HttpStatus.UNAUTHORIZED, "unauthorized", detail)
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, value -> assertThat(value).startsWith("Bearer"));
        assertThat(ECHO.apiRequests()).as("requests that reached the service").isEqualTo(before);
    }

    private static WebTestClient.ResponseSpec expectProblem(WebTestClient.ResponseSpec response, HttpStatus status, String kind,
            String detail) {
        Consumer<Object> detailCheck = value -> assertThat(((String) value).toLowerCase()).contains(detail.toLowerCase());
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://sift.dev/problems/" + kind)
                .jsonPath("$.status").isEqualTo(status.value())
                .jsonPath("$.title").isEqualTo(status.getReasonPhrase())
                .jsonPath("$.detail").value(detailCheck);
        return response;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headers(Map<String, Object> echoed) {
        return (Map<String, String>) echoed.get("headers");
    }

    private static byte[] readPem() {
        try {
            return Files.readAllBytes(TRUSTED.publicKeyPem());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
