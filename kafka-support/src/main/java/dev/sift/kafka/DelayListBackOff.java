package dev.sift.kafka;

import java.time.Duration;
import java.util.List;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Exactly the configured delays, then stop: the delays of a service's retry topics (for example 1 min, 10 min,
 * 1 h) are not a geometric series, so neither of spring-kafka's built-in back-offs can name them. Used with
 * {@code RetryTopicConfigurationBuilder.customBackoff}, it gives one retry topic per delay.
 */
public record DelayListBackOff(List<Duration> delays) implements BackOff {

    public DelayListBackOff {
        delays = List.copyOf(delays);
    }

    @Override
    public BackOffExecution start() {
        return new BackOffExecution() {
            private int next;

            @Override
            public long nextBackOff() {
                return next < delays.size() ? delays.get(next++).toMillis() : STOP;
            }
        };
    }
}
