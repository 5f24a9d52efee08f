package dev.sift.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void readsInstantsIsoDurationsAndShortDurations() {
        assertThat(DeadLetterFilter.parseTime("--since", "2026-11-21T00:00:00Z", CLOCK))
                .isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
        assertThat(DeadLetterFilter.parseTime("--since", "PT1H", CLOCK)).isEqualTo(NOW.minusSeconds(3600));
        assertThat(DeadLetterFilter.parseTime("--since", "P2D", CLOCK)).isEqualTo(NOW.minusSeconds(2 * 86400));
        assertThat(DeadLetterFilter.parseTime("--since", "30m", CLOCK)).isEqualTo(NOW.minusSeconds(1800));
        assertThatThrownBy(() -> DeadLetterFilter.parseTime("--until", "yesterday", CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--until: 'yesterday'");
    }

    @Test
    void exceptionFilterMatchesClassCauseOrMessage() {
        DeadLetter letter = letter(NOW.minusSeconds(60));
        assertThat(filter("--exception", "ListenerExecutionFailed").matches(letter)).isTrue();
        assertThat(filter("--exception", "IllegalStateException").matches(letter)).isTrue();
        assertThat(filter("--exception", "upstream timeout").matches(letter)).isTrue();
        assertThat(filter("--exception", "NullPointer").matches(letter)).isFalse();
    }

    @Test
    void timeFiltersUseTheDeadLetterTimestamp() {
        DeadLetter letter = letter(NOW.minusSeconds(600));
        assertThat(filter("--since", "PT1H").matches(letter)).isTrue();
        assertThat(filter("--since", "5m").matches(letter)).isFalse();
        assertThat(filter("--until", "5m").matches(letter)).isTrue();
        assertThat(filter("--until", "PT1H").matches(letter)).isFalse();
    }

    @Test
    void decodesSpringKafkasBinaryHeaders() {
        DeadLetter letter = letter(NOW);
        assertThat(letter.originalPartition()).isEqualTo(2);
        assertThat(letter.originalOffset()).isEqualTo(41);
        assertThat(letter.originalTopic()).isEqualTo("sift.feedback.submitted.v1");
        assertThat(letter.replayCount()).isEqualTo(2);
        assertThat(letter.decodedHeaders()).containsEntry("kafka_dlt-original-offset", 41L)
                .containsEntry("sift-replay-count", "2");
    }

    private static DeadLetterFilter filter(String option, String value) {
        DeadLetterFilter filter = new DeadLetterFilter();
        switch (option) {
            case "--exception" -> filter.exception = value;
            case "--since" -> filter.since = value;
            default -> filter.until = value;
        }
        return filter.resolve(CLOCK);
    }

    private static DeadLetter letter(Instant at) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-original-topic", utf8("sift.feedback.submitted.v1"));
        headers.add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(2).array());
        headers.add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(41).array());
        headers.add("kafka_dlt-exception-fqcn", utf8("org.springframework.kafka.listener.ListenerExecutionFailedException"));
        headers.add("kafka_dlt-exception-cause-fqcn", utf8("java.lang.IllegalStateException"));
        headers.add("kafka_dlt-exception-message", utf8("Listener failed; upstream timeout"));
        headers.add("sift-replay-count", utf8("2"));
        return new DeadLetter(new ConsumerRecord<>("x-dlt", 0, 7, at.toEpochMilli(), TimestampType.CREATE_TIME, 3, 2,
                utf8("org"), utf8("{}"), headers, java.util.Optional.empty()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
