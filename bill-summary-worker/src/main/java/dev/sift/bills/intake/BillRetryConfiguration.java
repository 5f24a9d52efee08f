package dev.sift.bills.intake;

import dev.sift.bills.BillSummaryProperties;
import dev.sift.contracts.Topics;
import dev.sift.kafka.DelayListBackOff;
import dev.sift.kafka.SiftKafkaProperties;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.retrytopic.DeadLetterPublishingRecovererFactory;
import org.springframework.kafka.retrytopic.RetryTopicConfiguration;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationBuilder;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationSupport;
import org.springframework.kafka.retrytopic.RetryTopicSchedulerWrapper;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Non-blocking retries of {@code sift.bill.batched.v1}: one delayed retry topic per configured delay
 * ({@code -retry-60000}, {@code -retry-600000}, {@code -retry-3600000} by default, as clustering-worker's), then {@code -dlt}, whose handler
 * publishes FAILED summaries. What travels is only the failed bills ({@link FailedBillsRecoverer}). A record
 * that does not parse goes straight to the DLT.
 *
 * <p>Extends {@link RetryTopicConfigurationSupport} to plug in that recoverer; this is the worker's own context,
 * so it changes nothing for other services in the one-JVM local stack.
 */
@Configuration(proxyBeanMethods = false)
class BillRetryConfiguration extends RetryTopicConfigurationSupport {

    @Override
    protected Consumer<DeadLetterPublishingRecovererFactory> configureDeadLetterPublishingContainerFactory() {
        return factory -> factory.setDeadLetterPublisherCreator(FailedBillsRecoverer::new);
    }

    /** The scheduler that wakes paused retry-topic partitions; the default configuration would create it. */
    @Bean
    RetryTopicSchedulerWrapper billRetryScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("bill-retry-");
        scheduler.initialize();
        return new RetryTopicSchedulerWrapper(scheduler);
    }

    @Bean
    RetryTopicConfiguration billBatchRetries(KafkaTemplate<String, byte[]> template, BillSummaryProperties properties,
            SiftKafkaProperties topics) {
        List<Duration> delays = properties.retry().delays();
        return RetryTopicConfigurationBuilder.newInstance()
                .customBackoff(new DelayListBackOff(delays))
                .maxAttempts(delays.size() + 1)
                .notRetryOn(List.of(SerializationException.class))
                .traversingCauses()
                .autoCreateTopics(true, topics.partitions(), topics.replicationFactor())
                .includeTopic(Topics.BILL_BATCHED.name())
                .dltHandlerMethod("billBatchListener", "onDeadLetter")
                .create(template);
    }
}
