package dev.sift.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.testing.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A WebFlux app with nothing but this module: what every service gets by adding the dependency. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = SecuredApplicationTest.App.class,
        properties = "management.endpoints.web.exposure.include=health")
@AutoConfigureWebTestClient
class SecuredApplicationTest {

    @SpringBootApplication
    @RestController
    static class App {
        @GetMapping("/whoami")
        Mono<SiftIdentity> whoami() {
            return SiftIdentity.current();
        }
    }

    @DynamicPropertySource
    static void trust(DynamicPropertyRegistry registry) {
        TestTokens.shared().properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @Autowired
    WebTestClient client;

    @Test
    void actuatorHealthNeedsNoToken() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void currentIdentityComesFromTheToken() {
        String org = "0f1e2d3c-4b5a-4968-8776-655443322110";
        SiftIdentity identity = client.get().uri("/whoami")
                .header("Authorization", "Bearer " + TestTokens.shared().mint("user-7", org, "INSTRUCTOR"))
                .exchange().expectStatus().isOk().expectBody(SiftIdentity.class).returnResult().getResponseBody();

        assertThat(identity).isEqualTo(new SiftIdentity("user-7", org, java.util.Set.of("INSTRUCTOR")));
    }

    @Test
    void missingTokenIsAProblem401WithChallenge() {
        client.get().uri("/whoami").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.type").isEqualTo("https://sift.dev/problems/unauthorized")
                .jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void tokenOfAnotherKeyIsRefused() {
        client.get().uri("/whoami").header("Authorization", "Bearer " + TestTokens.generate().mintForAnyone("MEMBER"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("kid"));
    }

    @Test
    void tokenInTheQueryStringIsRefusedEvenWithAValidHeader() {
        String token = TestTokens.shared().mintForAnyone("MEMBER");
        client.get().uri("/whoami?access_token=" + token).header("Authorization", "Bearer " + token)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("query string"));
    }

    @Test
    void propertiesOfTestTokensPointAtItsPem() {
        assertThat(TestTokens.shared().properties()).containsEntry("sift.security.jwt.issuer", "sift")
                .extractingByKey("sift.security.jwt.public-key-locations").asString().startsWith("file:");
        assertThat(Map.copyOf(TestTokens.shared().properties())).hasSize(3);
    }
}
