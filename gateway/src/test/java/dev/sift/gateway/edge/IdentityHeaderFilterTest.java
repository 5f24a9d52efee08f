package dev.sift.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.gateway.GatewayProperties;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;

class IdentityHeaderFilterTest {

    private final IdentityHeaderFilter filter = new IdentityHeaderFilter(defaults().identityHeaderPrefixes());

    @Test
    void recognisesIdentityHeadersWhateverTheirCase() {
        assertThat(List.of("X-User-Id", "x-user", "X-USERNAME", "X-Org-Id", "X-Forwarded-User", "X-Forwarded-Email",
                "X-Auth-Request-User", "X-Authenticated-Userid", "Remote-User", "X-Sift-Roles", "X-Roles", "X-Tenant-Id",
                "X-JWT-Assertion", "X-Consumer-ID"))
                .allSatisfy(name -> assertThat(filter.isIdentityHeader(name)).as(name).isTrue());
    }

    @Test
    void keepsOrdinaryHeaders() {
        assertThat(List.of("Authorization", "Content-Type", "X-Request-Id", "X-Forwarded-For", "X-Forwarded-Proto",
                "Idempotency-Key", "traceparent", "User-Agent", "Origin"))
                .allSatisfy(name -> assertThat(filter.isIdentityHeader(name)).as(name).isFalse());
    }

    private static GatewayProperties defaults() {
        MockEnvironment environment = new MockEnvironment();
        return new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("sift.gateway", GatewayProperties.class);
    }
}
