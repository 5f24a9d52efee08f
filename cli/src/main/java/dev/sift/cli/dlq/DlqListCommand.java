package dev.sift.cli.dlq;

import dev.sift.cli.kafka.KafkaOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift dlq list}: the records of one dead-letter topic that match the filters, oldest offsets first. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Records of a dead-letter topic matching the filters, in partition and offset order, "
                + "with their status: pending, or done (replayed, parked or skipped).")
final class DlqListCommand implements Callable<Integer> {

    @Mixin
    @SuppressWarnings("NullAway.Init")
    KafkaOptions kafka;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    DeadLetterFilter filter;

    @Parameters(index = "0", paramLabel = "DLT", description = "The dead-letter topic, e.g. sift.feedback.submitted.v1-dlt.")
    @SuppressWarnings("NullAway.Init")
    String topic;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N records (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--pending", description = "Only records not yet replayed, parked or skipped.")
    boolean pendingOnly;

    @Option(names = "--json", description = "One JSON document instead of a table.")
    boolean json;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    record Row(int partition, long offset, String timestamp, @Nullable String key, @Nullable String originalTopic,
            @Nullable String exceptionClass, @Nullable String exceptionCause, @Nullable String exceptionMessage,
            int replayCount, String status) {
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1");
        }
        filter.resolve(Clock.systemUTC());
        Map<String, Object> config = kafka.clientConfig();
        List<Row> rows = new ArrayList<>();
        long[] matched = {0};
        try (Admin admin = DeadLetterLog.admin(config);
                KafkaConsumer<byte[], byte[]> consumer = DeadLetterLog.consumer(config, 2_000)) {
            List<TopicPartition> partitions = DeadLetterLog.partitions(admin, topic);
            Map<TopicPartition, PartitionProgress> progress = DeadLetterLog.progress(consumer, partitions);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> ends = DeadLetterLog.endOffsets(consumer, partitions);
            DeadLetterLog.scan(consumer, begins, ends, Long.MAX_VALUE, record -> {
                DeadLetter letter = new DeadLetter(record);
                boolean done = progress.get(new TopicPartition(record.topic(), record.partition()))
                        .isHandled(record.offset());
                if (filter.matches(letter) && !(pendingOnly && done)) {
                    matched[0]++;
                    rows.add(new Row(letter.partition(), letter.offset(), letter.timestamp().toString(), letter.key(),
                            letter.originalTopic(), letter.exceptionClass(), letter.exceptionCause(), letter.exceptionMessage(),
                            letter.replayCount(), done ? "done" : "pending"));
                }
                return true;
            });
        }
        rows.sort(Comparator.comparingInt(Row::partition).thenComparingLong(Row::offset));
        List<Row> shown = rows.subList(0, Math.min(limit, rows.size()));
        print(spec.commandLine().getOut(), shown, matched[0]);
        return 0;
    }

    private void print(PrintWriter out, List<Row> rows, long matched) {
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topic", topic);
            document.put("matched", matched);
            document.put("shown", rows.size());
            document.put("records", rows);
            out.println(Json.write(document));
            return;
        }
        Table table = new Table("PARTITION:OFFSET", "TIMESTAMP", "KEY", "ORIGINAL TOPIC", "EXCEPTION", "REPLAYS", "STATUS");
        for (Row row : rows) {
            table.add(row.partition() + ":" + row.offset(), row.timestamp(), orDash(row.key()), orDash(row.originalTopic()),
                    exception(row), Integer.toString(row.replayCount()), row.status());
        }
        table.print(out);
        out.println(rows.size() < matched
                ? rows.size() + " of " + matched + " matching records shown (raise --limit for more)"
                : matched + " matching record" + (matched == 1 ? "" : "s"));
    }

    private static String exception(Row row) {
        // The cause is the listener's own exception; the outer one is usually spring-kafka's wrapper.
        String name = row.exceptionCause() != null ? row.exceptionCause() : row.exceptionClass();
        if (name == null) {
            return "-";
        }
        String simple = name.substring(name.lastIndexOf('.') + 1);
        String message = row.exceptionMessage() == null ? "" : ": " + row.exceptionMessage().replaceAll("\\s+", " ");
        String text = simple + message;
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static String orDash(@Nullable String text) {
        return text == null ? "-" : text;
    }
}
