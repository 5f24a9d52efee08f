package dev.sift.report.reports;

import dev.sift.ai.AiClients;
import dev.sift.ai.AiProperties;
import dev.sift.ai.TextGenerator;
import dev.sift.kafka.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires report generation to the configured generation provider ({@code sift.ai.generation.*}); with
 * {@code local} there is no model and reports are extractive. The generator is built here, not as a shared bean,
 * so it cannot clash with other services' generators in the local stack.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReportProperties.class)
class ReportConfiguration {

    @Bean
    ReportWriter reportWriter(AiProperties ai, MeterRegistry registry, ReportProperties properties) {
        Optional<TextGenerator> generator = AiClients.textGenerator(ai.generation(), registry);
        return new ReportWriter(generator, properties.maxOutputTokens());
    }

    @Bean
    ReportGenerator reportGenerator(ReportStore store, ReportWriter writer, EventPublisher publisher,
            ReportProperties properties, ReportRequests requests) {
        return new ReportGenerator(store, writer, publisher, properties, requests);
    }
}
