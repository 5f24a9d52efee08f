package dev.sift.cli.dlq;

import dev.sift.cli.kafka.KafkaOptions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift dlq topics}: every dead-letter topic with its size, age and what is still pending. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Every *-dlt topic with record count, oldest and newest timestamp, and how many records "
                + "are pending (neither replayed, parked nor skipped by consumer group sift-dlq-replay)."})
final class DlqTopicsCommand implements Callable<Integer> {

    @Mixin
    @SuppressWarnings("NullAway.Init")
    KafkaOptions kafka;

    @Option(names = "--json", description = "One JSON document instead of a table.")
    boolean json;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    /** One row of the listing. */
    record Row(String topic, int partitions, long records, long pending, @Nullable Instant oldest,
            @Nullable Instant newest) {
    }

    @Override
    public Integer call() {
        Map<String, Object> config = kafka.clientConfig();
        List<Row> rows = new ArrayList<>();
        try (Admin admin = DeadLetterLog.admin(config);
                KafkaConsumer<byte[], byte[]> consumer = DeadLetterLog.consumer(config, 10)) {
            List<String> names = admin.listTopics().names().get().stream()
                    .filter(name -> name.endsWith("-dlt")).sorted().toList();
            if (!names.isEmpty()) {
                Map<String, TopicDescription> descriptions = DeadLetterLog.describe(admin, names);
                List<TopicPartition> partitions = new ArrayList<>();
                descriptions.values().forEach(d -> d.partitions()
                        .forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
                Map<TopicPartition, PartitionProgress> progress = DeadLetterLog.progress(consumer, partitions);
                Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
                Map<TopicPartition, Long> ends = DeadLetterLog.endOffsets(consumer, partitions);
                Map<String, Instant> oldest = new HashMap<>();
                Map<String, Instant> newest = new HashMap<>();
                // First record of each partition, then its last few (the very last offset may be a transaction marker).
                Map<TopicPartition, Long> tails = new HashMap<>();
                begins.forEach((p, begin) -> tails.put(p, Math.max(begin, ends.get(p) - 3)));
                DeadLetterLog.scan(consumer, begins, ends, 1, r -> {
                    oldest.merge(r.topic(), Instant.ofEpochMilli(r.timestamp()), (a, b) -> a.isBefore(b) ? a : b);
                    return true;
                });
                consumer.unsubscribe();
                DeadLetterLog.scan(consumer, tails, ends, Long.MAX_VALUE, r -> {
                    newest.merge(r.topic(), Instant.ofEpochMilli(r.timestamp()), (a, b) -> a.isAfter(b) ? a : b);
                    return true;
                });
                for (String name : names) {
                    long records = 0;
                    long pending = 0;
                    int count = descriptions.get(name).partitions().size();
                    for (int i = 0; i < count; i++) {
                        TopicPartition partition = new TopicPartition(name, i);
                        records += ends.get(partition) - begins.get(partition);
                        pending += progress.get(partition).pending(ends.get(partition));
                    }
                    rows.add(new Row(name, count, records, pending, oldest.get(name), newest.get(name)));
                }
            }
        } catch (ExecutionException e) {
            throw DeadLetterException.from(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted");
        }
        print(spec.commandLine().getOut(), rows);
        return 0;
    }

    private void print(PrintWriter out, List<Row> rows) {
        if (json) {
            List<Map<String, Object>> topics = new ArrayList<>();
            for (Row row : rows) {
                Map<String, Object> topic = new LinkedHashMap<>();
                topic.put("topic", row.topic());
                topic.put("partitions", row.partitions());
                topic.put("records", row.records());
                topic.put("pending", row.pending());
                topic.put("oldest", row.oldest() == null ? null : row.oldest().toString());
                topic.put("newest", row.newest() == null ? null : row.newest().toString());
                topics.add(topic);
            }
            out.println(Json.write(Map.of("topics", topics)));
            return;
        }
        if (rows.isEmpty()) {
            out.println("No dead-letter topics (*-dlt).");
            return;
        }
        Table table = new Table("TOPIC", "PARTITIONS", "RECORDS", "PENDING", "OLDEST", "NEWEST");
        for (Row row : rows) {
            table.add(row.topic(), Integer.toString(row.partitions()), Long.toString(row.records()),
                    Long.toString(row.pending()), row.oldest() == null ? "-" : row.oldest().toString(),
                    row.newest() == null ? "-" : row.newest().toString());
        }
        table.print(out);
    }
}
