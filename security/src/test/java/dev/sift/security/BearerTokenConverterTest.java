package dev.sift.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;

class BearerTokenConverterTest {

    private final BearerTokenConverter converter = new BearerTokenConverter();
    private final ServerBearerTokenAuthenticationConverter spring = new ServerBearerTokenAuthenticationConverter();

    @Test
    void takesTheTokenFromTheAuthorizationHeader() {
        assertThat(token("Bearer abc.def-ghi_jkl~mno+pqr/stu==")).isEqualTo("abc.def-ghi_jkl~mno+pqr/stu==");
        assertThat(token("bearer abc")).isEqualTo("abc");
        assertThat(token("BEARER abc")).isEqualTo("abc");
    }

    @Test
    void ignoresOtherSchemesAndAMissingHeader() {
        assertThat(converter.convert(exchange(null)).blockOptional()).isEmpty();
        assertThat(converter.convert(exchange("Basic dXNlcjpwYXNz")).blockOptional()).isEmpty();
    }

    @Test
    void refusesMalformedBearerHeadersAsInvalidTokens() {
        for (String header : List.of("Bearer", "Bearer ", "Bearer  abc", "Bearerabc", "Bearer abc def", "Bearer ab=c",
                "Bearer abc\n", "Bearer a%20b", "Bearer ===")) {
            assertThatThrownBy(() -> converter.convert(exchange(header)).block()).as(header)
                    .isInstanceOfSatisfying(OAuth2AuthenticationException.class, e -> {
                        assertThat(e.getError().getErrorCode()).isEqualTo("invalid_token");
                        assertThat(e.getError().getDescription()).isEqualTo("Bearer token is malformed");
                    });
        }
    }

    @Test
    void tokenOrNullTakesWhatTheChainTakesAndNothingElse() {
        assertThat(BearerTokenConverter.tokenOrNull("Bearer abc.def")).isEqualTo("abc.def");
        assertThat(BearerTokenConverter.tokenOrNull("bearer abc")).isEqualTo("abc");
        assertThat(BearerTokenConverter.tokenOrNull(null)).isNull();
        assertThat(BearerTokenConverter.tokenOrNull("Basic dXNlcjpwYXNz")).isNull();
        for (String header : List.of("Bearer", "Bearer ", "Bearer  abc", "Bearer abc def", "Bearer ab=c", "Bearer ===")) {
            assertThat(BearerTokenConverter.tokenOrNull(header)).as(header).isNull();
        }
    }

    @Test
    void refusesATokenInTheQueryString() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api?access_token=abc"));
        assertThatThrownBy(() -> converter.convert(exchange).block())
                .isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_request"));
    }

    @Test
    void decidesLikeSpringSecuritysConverterForEveryHeader() {
        List<String> headers = new ArrayList<>(List.of("Bearer abc", "bearer  abc", "Bearer\tabc", "Bearer abc=",
                "Bearer abc==x", "Bearer é", "Bearer a/b+c", "Bearer -", "bEaReR xyz", "Bearers abc", "Bearer abc "));
        Random random = new Random(7);
        String alphabet = "aZ09-._~+/= \t\nBearerbearer%é";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder header = new StringBuilder(random.nextInt(3) == 0 ? "" : random.nextBoolean() ? "Bearer " : "bearer");
            int length = random.nextInt(8);
            for (int j = 0; j < length; j++) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            headers.add(header.toString());
        }
        for (String header : headers) {
            assertThat(outcome(converter, header)).as("[%s]", header).isEqualTo(outcome(spring, header));
        }
    }

    private String token(String header) {
        Authentication authentication = converter.convert(exchange(header)).block();
        return ((BearerTokenAuthenticationToken) authentication).getToken();
    }

    private static String outcome(org.springframework.security.web.server.authentication.ServerAuthenticationConverter c,
            String header) {
        try {
            Authentication authentication = c.convert(exchange(header)).block();
            return authentication == null ? "none" : "token:" + ((BearerTokenAuthenticationToken) authentication).getToken();
        } catch (OAuth2AuthenticationException e) {
            return "error:" + e.getError().getErrorCode() + ":" + e.getError().getDescription();
        }
    }

    private static MockServerWebExchange exchange(String authorization) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/feedback");
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return MockServerWebExchange.from(request);
    }
}
