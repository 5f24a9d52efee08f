package dev.sift.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.PropertySource;

/**
 * The edge: verifies RS256 tokens, issues guest tokens, routes /api/** to the services.
 *
 * <p>Its settings live in {@code gateway.properties} rather than {@code application.yml} so that the
 * local stack can run all five services in one JVM without their files shadowing each other.
 */
@SpringBootApplication
@PropertySource("classpath:gateway.properties")
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
