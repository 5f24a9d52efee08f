package dev.sift.bills.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.batching.BatchSettings;
import dev.sift.batching.BatcherMetrics;
import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillBatched;
import dev.sift.contracts.bill.BillReceived;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production bills batching topology: keyed by bill id in, batched by proposal date out. */
class BillBatcherTest {

    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> received;
    private TestOutputTopic<String, byte[]> batched;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void open() {
        StreamsBuilder builder = new StreamsBuilder();
        BillBatcher.buildTopology(builder, new BatchSettings(3, Duration.ofSeconds(20), Duration.ofSeconds(2)),
                new BatcherMetrics(BillBatcher.PIPELINE_NAME, new SimpleMeterRegistry()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bill-batcher-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, START);
        received = driver.createInputTopic(Topics.BILL_RECEIVED.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), START, Duration.ofMillis(10));
        batched = driver.createOutputTopic(Topics.BILL_BATCHED.name(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(Topics.BILL_RECEIVED.deadLetterTopic(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void receive(String billId, String day) {
        BillReceived bill = new BillReceived(billId, "Title " + billId, "p", "c", LocalDate.parse(day), "Body.", START);
        received.pipeInput(billId, Topics.BILL_RECEIVED.valueSerde().toJson(bill));
    }

    @Test
    void groupsBillsOfOneDayWhateverTheirKeysAndClosesAtMaxItems() {
        receive("b1", "2026-11-20");
        receive("b2", "2026-11-21");
        receive("b3", "2026-11-20");
        receive("b4", "2026-11-20");

        var out = batched.readKeyValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().key).isEqualTo("2026-11-20");
        BillBatched batch = Topics.BILL_BATCHED.valueSerde().fromJson(out.getFirst().value);
        assertThat(batch.items()).extracting(BillReceived::billId).containsExactly("b1", "b3", "b4");
        assertThat(batch.closedBy()).isEqualTo(BillBatched.ClosedBy.COUNT);
        assertThat(batch.proposedAt()).isEqualTo(LocalDate.parse("2026-11-20"));
    }

    @Test
    void closesAQuietDayAfterMaxWaitAndDeadLettersWhatDoesNotParse() {
        receive("b1", "2026-11-21");
        received.pipeInput("bad", "not json".getBytes(StandardCharsets.UTF_8));
        driver.advanceWallClockTime(Duration.ofSeconds(22));

        List<BillBatched> out = batched.readValuesToList().stream()
                .map(v -> Topics.BILL_BATCHED.valueSerde().fromJson(v)).toList();
        assertThat(out).singleElement().satisfies(b -> {
            assertThat(b.items()).extracting(BillReceived::billId).containsExactly("b1");
            assertThat(b.closedBy()).isEqualTo(BillBatched.ClosedBy.TIME);
        });
        assertThat(deadLetters.readKeyValuesToList()).singleElement().satisfies(kv -> assertThat(kv.key).isEqualTo("bad"));
    }
}
