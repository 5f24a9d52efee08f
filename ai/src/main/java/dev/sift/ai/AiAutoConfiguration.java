package dev.sift.ai;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The configured {@link EmbeddingClient}. Harmless where unused: the local model loads on the first call, the
 * HTTP adapters open no connection until then.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@EnableConfigurationProperties(AiProperties.class)
public class AiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EmbeddingClient siftEmbeddingClient(AiProperties properties, ObjectProvider<MeterRegistry> registry) {
        return AiClients.embeddingClient(properties.embedding(), registry.getIfAvailable(() -> Metrics.globalRegistry));
    }
}
