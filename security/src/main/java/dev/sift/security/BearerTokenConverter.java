package dev.sift.security;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Takes the bearer token from the {@code Authorization} header only (RFC 6750 section 2.1), and refuses a request
 * that carries one in the query string: a token in a URL ends up in logs and browser history (section 5.3).
 *
 * <p>It accepts and refuses exactly what Spring Security's {@code ServerBearerTokenAuthenticationConverter} does
 * for the header ({@code BearerTokenConverterTest} checks the two against each other), with the same errors, but
 * without its regular expression: matching {@code ^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$} was 4–7 % of the
 * gateway's CPU per proxied request (JFR, docs/performance.md), and every service pays it again for the same
 * header. A loop over the characters does the same check.
 */
public final class BearerTokenConverter implements ServerAuthenticationConverter {

    private static final String SCHEME = "bearer ";

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        if (exchange.getRequest().getQueryParams().containsKey("access_token")) {
            return Mono.error(new OAuth2AuthenticationException(new BearerTokenError(BearerTokenErrorCodes.INVALID_REQUEST,
                    HttpStatus.UNAUTHORIZED, "Tokens in the query string are not accepted; use the Authorization header",
                    null)));
        }
        try {
            String token = token(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
            return token == null ? Mono.empty() : Mono.just(new BearerTokenAuthenticationToken(token));
        } catch (OAuth2AuthenticationException e) {
            return Mono.error(e);
        }
    }

    /**
     * The bearer token of an {@code Authorization} header value as the security chain reads it; {@code null} when
     * there is none or it is malformed (the chain then refuses the request with its own 401). For code that runs
     * before the chain and must take exactly the token the chain would, such as report-service's fast path.
     */
    public static @Nullable String tokenOrNull(@Nullable String authorization) {
        try {
            return token(authorization);
        } catch (OAuth2AuthenticationException e) {
            return null;
        }
    }

    /**
     * The token of an {@code Authorization} header value; {@code null} when the header is absent or names another
     * scheme; an {@link OAuth2AuthenticationException} ({@code invalid_token}) when it says bearer but is malformed.
     */
    static @Nullable String token(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length() - 1)) {
            return null;
        }
        int length = authorization.length();
        if (length <= SCHEME.length() || authorization.charAt(SCHEME.length() - 1) != ' ') {
            throw malformed();
        }
        int i = SCHEME.length();
        while (i < length && isTokenChar(authorization.charAt(i))) {
            i++;
        }
        if (i == SCHEME.length()) {
            throw malformed();
        }
        while (i < length && authorization.charAt(i) == '=') {
            i++;
        }
        if (i != length) {
            throw malformed();
        }
        return authorization.substring(SCHEME.length());
    }

    /** RFC 6750's b64token characters: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/". */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    private static OAuth2AuthenticationException malformed() {
        return new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
    }
}
