package dev.sift.security;

import com.nimbusds.jose.jwk.JWK;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import reactor.core.publisher.Mono;

/**
 * Bearer-token security for every reactive Sift service: the trusted keys, the token decoder and,
 * unless the application defines its own, a filter chain where {@code /actuator/**} is open (the
 * workers and the local stack poll readiness without a token) and everything else needs a valid
 * token. Servlet and non-web contexts get nothing from here.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(ServerHttpSecurity.class)
@EnableConfigurationProperties({SiftJwtProperties.class, SiftWebSecurityProperties.class})
public class SiftSecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SiftSecurityAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    TrustedKeys siftTrustedKeys(SiftJwtProperties properties, ObjectProvider<TrustedKeyProvider> providers) {
        List<JWK> keys = new ArrayList<>();
        for (Resource location : properties.publicKeyLocations()) {
            keys.addAll(KeyFiles.readPublicKeys(location));
        }
        providers.orderedStream().forEach(provider -> keys.addAll(provider.trustedKeys()));
        URI jwkSetUri = properties.jwkSetUri();
        if (keys.isEmpty() && jwkSetUri == null) {
            jwkSetUri = SiftJwtProperties.LOCAL_GATEWAY_JWK_SET_URI;
            log.warn("No sift.security.jwt.public-key-locations or jwk-set-uri configured: trusting the local "
                    + "gateway's keys at {} (a development default; configure keys in production)", jwkSetUri);
        }
        log.info("Trusting token keys {}{}", keys.stream().map(JWK::getKeyID).toList(),
                jwkSetUri == null ? "" : " and the JWK set at " + jwkSetUri);
        return new TrustedKeys(keys, jwkSetUri, properties.jwkSetCacheTtl(), properties.jwkSetRefetchInterval(),
                Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder siftJwtDecoder(TrustedKeys keys, SiftJwtProperties properties) {
        return new SiftJwtDecoder(keys, properties.issuer(), properties.audience(), properties.clockSkew(),
                Clock.systemUTC());
    }

    /**
     * No Spring Security observations: they wrap every filter, the authentication and the authorization
     * in observations of their own, which cost a tenth to a sixth of a request's CPU in the gateway and in
     * feedback-service (JFR, docs/performance.md), and add nothing the HTTP server observation (metrics
     * and the trace span of every request) and the 401/403 responses do not already say.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings siftSecurityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's strict firewall (the one it uses by default), with regex-free header checks: see
     * {@link HeaderFirewall}.
     */
    @Bean
    @ConditionalOnMissingBean
    ServerWebExchangeFirewall siftServerWebExchangeFirewall() {
        return HeaderFirewall.create();
    }

    /** The default chain; an application that declares its own {@link SecurityWebFilterChain} replaces it. */
    @Configuration(proxyBeanMethods = false)
    @EnableWebFluxSecurity
    @ConditionalOnBooleanProperty(name = "sift.security.web.enabled", matchIfMissing = true)
    static class DefaultChain {

        @Bean
        @ConditionalOnMissingBean(SecurityWebFilterChain.class)
        SecurityWebFilterChain siftSecurityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
                SiftWebSecurityProperties web) {
            return configure(http, decoder, web.publicPaths()).build();
        }
    }

    /**
     * Applies Sift's rules to a chain: stateless bearer tokens from the {@code Authorization} header
     * only, {@code roles} as {@code ROLE_*} authorities, problem+json 401/403, {@code /actuator/**} and
     * {@code publicPaths} open. Applications that need more rules start from this and add theirs.
     */
    public static ServerHttpSecurity configure(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            List<String> publicPaths) {
        ServerAuthenticationEntryPoint entryPoint = SiftSecurityAutoConfiguration::unauthorized;
        ServerAccessDeniedHandler accessDenied = (exchange, denied) ->
                ProblemResponses.write(exchange, HttpStatus.FORBIDDEN, "forbidden", "The token does not grant access to this resource");
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(Customizer.withDefaults())
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers("/actuator", "/actuator/**").permitAll();
                    if (!publicPaths.isEmpty()) {
                        exchanges.pathMatchers(publicPaths.toArray(String[]::new)).permitAll();
                    }
                    exchanges.anyExchange().authenticated();
                })
                .exceptionHandling(handling -> handling.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
                .oauth2ResourceServer(server -> server
                        .bearerTokenConverter(new BearerTokenConverter())
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied)
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(
                                new ReactiveJwtAuthenticationConverterAdapter(rolesAsAuthorities()))));
    }

    /** {@code roles: ["ADMIN"]} becomes the authority {@code ROLE_ADMIN}, so {@code hasRole("ADMIN")} works. */
    public static JwtAuthenticationConverter rolesAsAuthorities() {
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName("roles");
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        return converter;
    }

    private static Mono<Void> unauthorized(org.springframework.web.server.ServerWebExchange exchange,
            AuthenticationException failure) {
        String detail;
        String challenge;
        if (failure instanceof OAuth2AuthenticationException oauth) {
            String description = oauth.getError().getDescription();
            detail = description == null ? "The bearer token is not valid" : description;
            challenge = "Bearer error=\"" + oauth.getError().getErrorCode() + "\"";
        } else if (failure instanceof AuthenticationCredentialsNotFoundException) {
            detail = "A bearer token is required in the Authorization header";
            challenge = "Bearer";
        } else {
            detail = "The bearer token is not valid";
            challenge = "Bearer error=\"invalid_token\"";
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return ProblemResponses.write(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }
}
