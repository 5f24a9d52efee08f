package dev.sift.cli.dlq;

import dev.sift.cli.kafka.KafkaOptions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift dlq show}: one dead letter with every header decoded and its value pretty-printed. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "One dead letter: where it failed, why, how often it was retried and replayed, every header "
                + "decoded (spring-kafka's binary partition, offset and timestamp as numbers) and the value.")
final class DlqShowCommand implements Callable<Integer> {

    @Mixin
    @SuppressWarnings("NullAway.Init")
    KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "DLT", description = "The dead-letter topic.")
    @SuppressWarnings("NullAway.Init")
    String topic;

    @Parameters(index = "1", paramLabel = "PARTITION:OFFSET", description = "The record, e.g. 0:42.")
    @SuppressWarnings("NullAway.Init")
    String coordinates;

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int colon = coordinates.indexOf(':');
        int partitionNumber;
        long offset;
        try {
            partitionNumber = Integer.parseInt(coordinates.substring(0, Math.max(colon, 0)));
            offset = Long.parseLong(coordinates.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected PARTITION:OFFSET such as 0:42, got '" + coordinates + "'");
        }
        Map<String, Object> config = kafka.clientConfig();
        AtomicReference<DeadLetter> found = new AtomicReference<>();
        boolean done;
        try (Admin admin = DeadLetterLog.admin(config);
                KafkaConsumer<byte[], byte[]> consumer = DeadLetterLog.consumer(config, 1)) {
            List<TopicPartition> partitions = DeadLetterLog.partitions(admin, topic);
            TopicPartition partition = new TopicPartition(topic, partitionNumber);
            if (!partitions.contains(partition)) {
                throw new DeadLetterException(topic + " has no partition " + partitionNumber
                        + " (it has " + partitions.size() + ")");
            }
            long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
            long end = DeadLetterLog.endOffsets(consumer, List.of(partition)).get(partition);
            if (offset < begin || offset >= end) {
                throw new DeadLetterException("no record at " + partitionNumber + ":" + offset + " (partition "
                        + partitionNumber + " holds offsets " + begin + " to " + (end - 1) + ")");
            }
            done = DeadLetterLog.progress(consumer, List.of(partition)).get(partition).isHandled(offset);
            DeadLetterLog.scan(consumer, Map.of(partition, offset), Map.of(partition, end), 1, record -> {
                if (record.offset() == offset) {
                    found.set(new DeadLetter(record));
                }
                return false;
            });
        }
        DeadLetter letter = found.get();
        if (letter == null) {
            throw new DeadLetterException("no record at " + partitionNumber + ":" + offset
                    + " (compacted away or a transaction marker)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(document(letter, done)));
        } else {
            print(out, letter, done);
        }
        return 0;
    }

    private static Map<String, Object> document(DeadLetter letter, boolean done) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("topic", letter.topic());
        document.put("partition", letter.partition());
        document.put("offset", letter.offset());
        document.put("timestamp", letter.timestamp().toString());
        document.put("key", letter.key());
        document.put("status", done ? "done" : "pending");
        document.put("originalTopic", letter.originalTopic());
        document.put("originalPartition", letter.originalPartition());
        document.put("originalOffset", letter.originalOffset());
        document.put("originalTimestamp", letter.originalTimestamp());
        document.put("exceptionClass", letter.exceptionClass());
        document.put("exceptionCause", letter.exceptionCause());
        document.put("exceptionMessage", letter.exceptionMessage());
        document.put("attempts", letter.attempts());
        document.put("replayCount", letter.replayCount());
        document.put("headers", letter.decodedHeaders());
        document.put("value", letter.record().value() == null ? null : Json.value(letter.record().value()));
        return document;
    }

    private static void print(PrintWriter out, DeadLetter letter, boolean done) {
        out.println(letter.topic() + " " + letter.partition() + ":" + letter.offset() + " (" + (done ? "done" : "pending") + ")");
        line(out, "timestamp", letter.timestamp().toString());
        line(out, "key", letter.key());
        line(out, "original topic", letter.originalTopic());
        line(out, "original partition", letter.originalPartition());
        line(out, "original offset", letter.originalOffset());
        Long originalTimestamp = letter.originalTimestamp();
        line(out, "original timestamp", originalTimestamp == null ? null
                : originalTimestamp + " (" + Instant.ofEpochMilli(originalTimestamp) + ")");
        line(out, "exception", letter.exceptionClass());
        line(out, "cause", letter.exceptionCause());
        line(out, "message", letter.exceptionMessage());
        line(out, "attempts", letter.attempts());
        line(out, "replay count", letter.replayCount());
        out.println("headers:");
        letter.decodedHeaders().forEach((name, value) -> {
            String text = value.toString();
            if (name.endsWith("stacktrace")) {
                // A stack trace is pages long; its first line names the failure, `--json` has all of it.
                int newline = text.indexOf('\n');
                text = newline < 0 ? text : text.substring(0, newline) + " ... (full trace with --json)";
            }
            out.println("  " + name + ": " + text);
        });
        out.println("value:");
        out.println(letter.record().value() == null ? "(null)" : Json.pretty(letter.record().value()));
    }

    private static void line(PrintWriter out, String label, @Nullable Object value) {
        out.printf("%-19s %s%n", label + ":", value == null ? "-" : value);
    }
}
