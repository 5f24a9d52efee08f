package dev.sift.bills;

import dev.sift.ai.AiClients;
import dev.sift.ai.AiProperties;
import dev.sift.ai.ResponsesClient;
import dev.sift.bills.summaries.BackgroundEngine;
import dev.sift.bills.summaries.BatchApiEngine;
import dev.sift.bills.summaries.ExtractiveEngine;
import dev.sift.bills.summaries.HedgePolicy;
import dev.sift.bills.summaries.SummaryEngine;
import dev.sift.bills.summaries.SummaryMetrics;
import dev.sift.bills.summaries.SyncEngine;
import dev.sift.contracts.Topics;
import dev.sift.kafka.SiftKafkaProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The summary engine for the configured provider and mode: {@code local} → extractive (no network);
 * {@code openai} → background (default), sync or batch through the {@code ai} module's {@link ResponsesClient}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BillSummaryProperties.class, GenerationMode.class})
class BillSummaryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BillSummaryConfiguration.class);

    @Bean
    SummaryMetrics billSummaryMetrics(MeterRegistry registry) {
        return new SummaryMetrics(registry);
    }

    @Bean
    SummaryEngine billSummaryEngine(AiProperties ai, GenerationMode mode, BillSummaryProperties settings,
            SummaryMetrics metrics, MeterRegistry registry) {
        Optional<ResponsesClient> client = AiClients.responsesClient(ai.generation(), registry);
        if (client.isEmpty()) {
            log.info("Bill summaries: extractive (sift.ai.generation.provider=local)");
            return new ExtractiveEngine();
        }
        log.info("Bill summaries: {} mode, model {}", mode.mode(), client.get().model());
        HedgePolicy hedges = new HedgePolicy(settings.hedge());
        return switch (mode.mode()) {
            case BACKGROUND -> new BackgroundEngine(client.get(), settings, hedges, metrics);
            case SYNC -> new SyncEngine(client.get(), settings, hedges, metrics);
            case BATCH -> new BatchApiEngine(client.get(), settings, metrics);
        };
    }

    /** Unparseable received bills land here (written by the batcher), as many partitions as their source. */
    @Bean
    KafkaAdmin.NewTopics billReceivedDeadLetters(SiftKafkaProperties topics) {
        return topics.declare(Stream.of(Topics.BILL_RECEIVED.deadLetterTopic()));
    }
}
