package dev.sift.gateway.tokens;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.sift.gateway.GatewayProperties;
import dev.sift.gateway.edge.RateLimiter;
import dev.sift.security.ProblemResponses;
import dev.sift.security.TrustedKeys;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /auth/guest} (a guest token, at most a few per client address and minute) and
 * {@code GET /.well-known/jwks.json} (the keys services may trust).
 */
final class TokenEndpoints {

    private final TokenIssuer issuer;
    private final TrustedKeys trustedKeys;
    private final SigningKey signingKey;
    private final RateLimiter limiter;
    private final RateLimiter.Plan guestPlan;
    private final Duration guestTtl;

    TokenEndpoints(TokenIssuer issuer, TrustedKeys trustedKeys, SigningKey signingKey, RateLimiter limiter,
            GatewayProperties gateway) {
        this.issuer = issuer;
        this.trustedKeys = trustedKeys;
        this.signingKey = signingKey;
        this.limiter = limiter;
        GatewayProperties.RateLimit limit = gateway.rateLimit();
        this.guestPlan = new RateLimiter.Plan("guest", limit.guestCapacity(), limit.guestCapacity(), limit.guestRefillPeriod());
        this.guestTtl = gateway.guestTokenTtl();
    }

    Mono<ServerResponse> guestToken(ServerRequest request) {
        String client = request.remoteAddress().map(InetSocketAddress::getAddress)
                .map(address -> address.getHostAddress()).orElse("unknown");
        return limiter.tryConsume(client, guestPlan).flatMap(decision -> {
            if (!decision.allowed()) {
                return ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()))
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .bodyValue(problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                                "Too many guest tokens from this address; retry after " + decision.retryAfterSeconds() + " s",
                                request.path()));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", issuer.issueGuest(guestTtl));
            body.put("token_type", "Bearer");
            body.put("expires_in", guestTtl.toSeconds());
            // RFC 6749 section 5.1: token responses must not be cached.
            return ServerResponse.ok().cacheControl(CacheControl.noStore()).header(HttpHeaders.PRAGMA, "no-cache")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        });
    }

    Mono<ServerResponse> jwks(ServerRequest request) {
        Map<String, JWK> keys = new LinkedHashMap<>();
        keys.put(signingKey.keyId(), signingKey.jwk().toPublicJWK());
        trustedKeys.knownKeys().forEach(key -> keys.putIfAbsent(key.getKeyID(), key.toPublicJWK()));
        String json = new JWKSet(List.copyOf(keys.values())).toString(true);
        return ServerResponse.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)))
                .contentType(MediaType.parseMediaType("application/jwk-set+json")).bodyValue(json);
    }

    static Map<String, Object> problem(HttpStatus status, String kind, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemResponses.type(kind).toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", instance);
        return body;
    }
}
