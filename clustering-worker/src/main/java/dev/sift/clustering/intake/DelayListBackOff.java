package dev.sift.clustering.intake;

import java.time.Duration;
import java.util.List;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/** Exactly the configured delays, then stop: 1 min, 10 min, 1 h is not a geometric series. */
record DelayListBackOff(List<Duration> delays) implements BackOff {

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
