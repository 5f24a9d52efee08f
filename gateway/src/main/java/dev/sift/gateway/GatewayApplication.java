package dev.sift.gateway;

import dev.sift.kafka.SiftService;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The edge: verifies RS256 tokens, issues guest tokens, routes /api/** to the services.
 *
 * <p>Its settings live in {@code gateway.properties} loaded as config data by {@link SiftService} (see
 * there why not {@code application.yml}).
 */
@SpringBootApplication
@SiftService("gateway")
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayApplication {

    public static final String NAME = "gateway";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
