package dev.sift.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PendingBatchTest {

    @Test
    void keepsTheOpeningTimeAndTheItemsInOrder() {
        byte[] batch = PendingBatch.open(1_700_000_000_123L, new PendingBatch.Item("a", "{\"text\":\"강의가 빨라요\"}"));
        batch = PendingBatch.append(batch, new PendingBatch.Item("b", "{\"text\":\"quote \\\" and \\\\ \"}"));
        batch = PendingBatch.append(batch, new PendingBatch.Item("", ""));

        assertThat(PendingBatch.openedAtMs(batch)).isEqualTo(1_700_000_000_123L);
        assertThat(PendingBatch.count(batch)).isEqualTo(3);
        assertThat(PendingBatch.items(batch)).containsExactly(
                new PendingBatch.Item("a", "{\"text\":\"강의가 빨라요\"}"),
                new PendingBatch.Item("b", "{\"text\":\"quote \\\" and \\\\ \"}"),
                new PendingBatch.Item("", ""));
    }

    @Test
    void appendingLeavesTheStoredValueAsItWas() {
        byte[] one = PendingBatch.open(5, new PendingBatch.Item("a", "{}"));
        byte[] copy = one.clone();
        PendingBatch.append(one, new PendingBatch.Item("b", "{}"));
        assertThat(one).isEqualTo(copy);
    }

    @Test
    void readsABatchAnOlderVersionStoredAsJson() {
        byte[] legacy = """
                {"openedAtMs":42,"items":[{"id":"f1","json":"{\\"feedbackId\\":\\"f1\\"}"},{"id":"f2","json":"{}"}]}"""
                .getBytes(StandardCharsets.UTF_8);

        assertThat(PendingBatch.openedAtMs(legacy)).isEqualTo(42);
        assertThat(PendingBatch.count(legacy)).isEqualTo(2);
        byte[] more = PendingBatch.append(legacy, new PendingBatch.Item("f3", "{}"));
        assertThat(PendingBatch.items(more)).extracting(PendingBatch.Item::id).isEqualTo(List.of("f1", "f2", "f3"));
        assertThat(PendingBatch.items(more).getFirst().json()).isEqualTo("{\"feedbackId\":\"f1\"}");
    }

    @Test
    void refusesBytesThatAreNoPendingBatch() {
        assertThatThrownBy(() -> PendingBatch.count(new byte[] {7, 7})).isInstanceOf(SerializationException.class);
        byte[] truncated = java.util.Arrays.copyOf(PendingBatch.open(1, new PendingBatch.Item("abc", "{\"x\":1}")), 20);
        assertThatThrownBy(() -> PendingBatch.items(truncated)).isInstanceOf(SerializationException.class);
    }
}
