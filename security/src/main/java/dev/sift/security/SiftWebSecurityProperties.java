package dev.sift.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The default filter chain's settings.
 *
 * @param enabled whether this module installs its filter chain at all
 * @param publicPaths path patterns answered without a token besides {@code /actuator/**} (the
 *     gateway lists its token and key-set endpoints here)
 */
@ConfigurationProperties("sift.security.web")
public record SiftWebSecurityProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<String> publicPaths) {
}
