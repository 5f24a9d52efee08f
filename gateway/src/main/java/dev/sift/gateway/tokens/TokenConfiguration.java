package dev.sift.gateway.tokens;

import com.nimbusds.jose.jwk.JWK;
import dev.sift.gateway.GatewayProperties;
import dev.sift.gateway.edge.RateLimiter;
import dev.sift.security.SiftJwtProperties;
import dev.sift.security.TrustedKeyProvider;
import dev.sift.security.TrustedKeys;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The gateway's signing key, the trust in it, and the issuer that uses it. */
@Configuration(proxyBeanMethods = false)
class TokenConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TokenConfiguration.class);

    @Bean
    SigningKey gatewaySigningKey(SiftJwtProperties jwt, GatewayProperties gateway) {
        if (jwt.privateKeyLocation() != null) {
            SigningKey key = SigningKey.load(jwt.privateKeyLocation(), jwt.keyId());
            log.info("Signing guest tokens with key {} from {}", key.keyId(), jwt.privateKeyLocation().getDescription());
            return key;
        }
        SigningKey key = SigningKey.generate(jwt.keyId(), gateway.generatedKeyDirectory());
        log.warn("No sift.security.jwt.private-key-location: generated signing key {}; its public key is at {} "
                + "and at /.well-known/jwks.json (tokens die with this process)", key.keyId(),
                key.generatedPublicKeyPem().orElseThrow());
        return key;
    }

    /** The gateway verifies the tokens it issues, whatever else it is configured to trust. */
    @Bean
    TrustedKeyProvider gatewaySigningKeyTrust(SigningKey key) {
        return () -> List.<JWK>of(key.jwk().toPublicJWK());
    }

    @Bean
    RouterFunction<ServerResponse> tokenRoutes(TokenIssuer issuer, TrustedKeys trustedKeys, SigningKey key,
            RateLimiter limiter, GatewayProperties gateway) {
        TokenEndpoints endpoints = new TokenEndpoints(issuer, trustedKeys, key, limiter, gateway);
        return RouterFunctions.route()
                .POST("/auth/guest", endpoints::guestToken)
                .GET("/.well-known/jwks.json", endpoints::jwks)
                .build();
    }

    @Bean
    TokenIssuer tokenIssuer(SigningKey key, SiftJwtProperties jwt) {
        return new TokenIssuer(key, jwt.issuer(), jwt.audience(), Clock.systemUTC());
    }
}
