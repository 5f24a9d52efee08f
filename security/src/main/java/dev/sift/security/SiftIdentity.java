package dev.sift.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Who is calling, from a verified token: services scope every read and write by
 * {@link #organizationId()} and check {@link #roles()}.
 *
 * @param subject the user id ({@code sub})
 * @param organizationId the organisation id ({@code org}, a UUID string)
 * @param roles the role names ({@code roles}), such as {@code MEMBER} or {@code ADMIN}
 */
public record SiftIdentity(String subject, String organizationId, Set<String> roles) {

    public SiftIdentity {
        roles = Set.copyOf(roles);
    }

    /** The identity of the current request; empty when the request carries no verified token. */
    public static Mono<SiftIdentity> current() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(authentication -> of(((JwtAuthenticationToken) authentication).getToken()));
    }

    /** The identity a verified token carries. */
    public static SiftIdentity of(Jwt jwt) {
        Collection<?> roles = jwt.getClaim("roles") instanceof Collection<?> claimed ? claimed : List.of();
        return new SiftIdentity(jwt.getSubject(), jwt.getClaimAsString("org"),
                roles.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet()));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean hasAnyRole(String... wanted) {
        for (String role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
