package dev.sift.cli.dlq;

import dev.sift.cli.Main;
import dev.sift.testing.KafkaTestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays 100,000 dead letters on the embedded broker and checks that each arrived exactly once.
 * Not a test: run by hand (cli/README.md, Benchmark). The dead letters carry the header set
 * spring-kafka 4.0's DeadLetterPublishingRecoverer writes (kafka_dlt-*, binary partition and
 * offset, a stack trace) and a ~250-byte feedback JSON value; they are produced directly, since a
 * failing listener would take minutes to make 100,000 of them.
 */
public final class DlqReplayBenchmark {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int partitions = 6;
        String bootstrap = KafkaTestBroker.bootstrapServers();
        String source = "bench." + UUID.randomUUID().toString().substring(0, 8);
        String dlt = source + "-dlt";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(source, partitions, (short) 1),
                    new NewTopic(dlt, partitions, (short) 1))).all().get();
        }
        byte[] stack = ("org.springframework.kafka.listener.ListenerExecutionFailedException: Listener failed\n"
                + "\tat org.springframework.kafka.listener.KafkaMessageListenerContainer...\n".repeat(12))
                .getBytes(StandardCharsets.UTF_8);
        long producing = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                int partition = i % partitions;
                String org = "org-" + (i % 50);
                String value = "{\"feedbackId\":\"" + UUID.randomUUID() + "\",\"organizationId\":\"" + org
                        + "\",\"authorId\":\"a-" + i + "\",\"text\":\"The audio in lecture " + (i % 9)
                        + " is too quiet to follow, please fix it\",\"submittedAt\":\"2026-11-22T02:00:00Z\"}";
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dlt, partition,
                        org.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_type", "dev.sift.feedback.submitted.v1".getBytes(StandardCharsets.UTF_8));
                record.headers().add("kafka_dlt-original-topic", source.getBytes(StandardCharsets.UTF_8));
                record.headers().add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(partition).array());
                record.headers().add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(i / partitions).array());
                record.headers().add("kafka_dlt-exception-fqcn",
                        "org.springframework.kafka.listener.ListenerExecutionFailedException".getBytes(StandardCharsets.UTF_8));
                record.headers().add("kafka_dlt-exception-cause-fqcn",
                        (i % 3 == 0 ? "java.lang.IllegalStateException" : "java.net.SocketTimeoutException")
                                .getBytes(StandardCharsets.UTF_8));
                record.headers().add("kafka_dlt-exception-message", "Listener failed; upstream timeout".getBytes(StandardCharsets.UTF_8));
                record.headers().add("kafka_dlt-exception-stacktrace", stack);
                producer.send(record);
            }
        }
        System.out.printf("produced %,d dead letters in %.1f s%n", count, (System.nanoTime() - producing) / 1e9);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long dryCpu = os.getProcessCpuTime();
        long dry = System.nanoTime();
        Main.run(new PrintWriter(out), new PrintWriter(err), "dlq", "replay", dlt, "--dry-run",
                "--bootstrap-server=" + bootstrap);
        double drySeconds = (System.nanoTime() - dry) / 1e9;
        System.out.printf("dry run (reading and deciding only): %,d records in %.2f s = %,.0f records/s; "
                + "%.2f s CPU of broker and CLI together%n", count, drySeconds, count / drySeconds,
                (os.getProcessCpuTime() - dryCpu) / 1e9);
        out = new StringWriter();
        long replayCpu = os.getProcessCpuTime();
        long replaying = System.nanoTime();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), "dlq", "replay", dlt,
                "--bootstrap-server=" + bootstrap);
        double seconds = (System.nanoTime() - replaying) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - replayCpu) / 1e9;
        System.out.print(out);
        System.out.print(err);
        System.out.printf("replay: exit %d, %,d records in %.2f s = %,.0f records/s (whole command: clients, "
                + "transactions, commits); %.2f s CPU of broker and CLI together = %,.0f records per CPU-second; "
                + "load average %.1f on %d CPUs%n", status, count, seconds, count / seconds, cpuSeconds,
                count / cpuSeconds, os.getSystemLoadAverage(), os.getAvailableProcessors());

        int second = Main.run(new PrintWriter(out = new StringWriter()), new PrintWriter(err), "dlq", "replay", dlt,
                "--bootstrap-server=" + bootstrap);
        System.out.print("second replay: exit " + second + ": " + out.toString().lines().findFirst().orElse("") + "\n");

        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Set<String> seen = new HashSet<>();
        long total = 0;
        long duplicates = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> sourcePartitions = consumer.partitionsFor(source).stream()
                    .map(p -> new TopicPartition(source, p.partition())).toList();
            consumer.assign(sourcePartitions);
            consumer.seekToBeginning(sourcePartitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(sourcePartitions);
            while (sourcePartitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    total++;
                    Header from = record.headers().lastHeader(DeadLetter.REPLAYED_FROM);
                    if (from == null || !seen.add(new String(from.value(), StandardCharsets.UTF_8))) {
                        duplicates++;
                    }
                }
            }
        }
        System.out.printf("check: %,d committed records on %s, %,d distinct sift-replayed-from, %,d duplicates or "
                + "unmarked; %s%n", total, source, seen.size(), duplicates,
                total == count && seen.size() == count && duplicates == 0 ? "EXACTLY ONCE" : "MISMATCH");
        System.exit(0);
    }

    private DlqReplayBenchmark() {
    }
}
