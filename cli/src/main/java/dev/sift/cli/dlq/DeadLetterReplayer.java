package dev.sift.cli.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * Replays, parks or skips the records of one dead-letter topic, exactly once.
 *
 * <p>Each batch of republished (or parked) records and the new progress of the {@code sift-dlq-replay}
 * group ({@link PartitionProgress}) are committed in one Kafka transaction, whose id is fixed per
 * dead-letter topic. So a crash between send and commit aborts the records with the progress
 * (consumers reading {@code read_committed}, the platform default, never see them), and the next run
 * — whose {@code initTransactions} fences any run still alive — starts from the last commit: no
 * record is skipped or republished twice. Only records that were in the topic when the run started
 * are considered, so a replayed record that fails again and returns to the same topic is not
 * replayed again in the same run.
 */
final class DeadLetterReplayer {

    enum Mode { REPLAY, SKIP }

    /** What to do, from the command line. */
    record Plan(String deadLetterTopic, Mode mode, DeadLetterFilter filter, @Nullable String to, @Nullable Double rate,
            @Nullable Long max, @Nullable Integer maxReplays, boolean dryRun) {

        String parkingTopic() {
            return deadLetterTopic + "-parked";
        }
    }

    /** What a run did (or, dry, would do). */
    record Outcome(long replayed, long parked, long skipped, long leftBehind, long alreadyHandled, long noDestination,
            boolean maxReached, Map<String, Long> byException, Map<String, Long> byOriginalTopic,
            Map<String, Long> byDestination, List<String> stalledPartitions, long pendingBefore, long pendingAfter,
            boolean noProgressFound) {
    }

    /** Told how far a run is, for a progress bar. */
    interface ProgressListener {
        ProgressListener NONE = (done, total) -> { };

        void progressed(long examined, long total);
    }

    /** Test seam: runs just before each transaction commits (a test may simulate a crash there). */
    interface CommitHook {
        CommitHook NONE = (producer, transaction) -> { };

        void beforeCommit(Producer<byte[], byte[]> producer, int transaction);
    }

    private static final int BATCH = 5_000;
    /**
     * A transaction ends after this many records or this long, whichever comes first: large enough
     * that commit round trips do not dominate, small enough that a crash redoes little and
     * read_committed consumers of the destination see replayed records within a second.
     */
    private static final int TRANSACTION_RECORDS = Integer.getInteger("sift.dlq.transaction-records", 10_000);
    private static final long COMMIT_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Map<String, Object> clientConfig;
    private final Plan plan;
    private final ProgressListener listener;
    private final CommitHook hook;

    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final Map<String, Boolean> destinationExists = new HashMap<>();
    private final Map<String, Long> byException = new TreeMap<>();
    private final Map<String, Long> byOriginalTopic = new TreeMap<>();
    private final Map<String, Long> byDestination = new TreeMap<>();
    private final List<String> stalled = new ArrayList<>();
    private long replayed;
    private long parked;
    private long skipped;
    private long leftBehind;
    private long alreadyHandled;
    private long noDestination;
    private long sendsStarted;
    private long paceStart;
    private boolean inTransaction;
    private long transactionStart;
    private int inTransactionCount;
    private int transactions;
    private int parkingPartitions;

    DeadLetterReplayer(Map<String, Object> clientConfig, Plan plan, ProgressListener listener, CommitHook hook) {
        this.clientConfig = clientConfig;
        this.plan = plan;
        this.listener = listener;
        this.hook = hook;
    }

    Outcome run() {
        try (Admin admin = DeadLetterLog.admin(clientConfig)) {
            List<TopicPartition> partitions = DeadLetterLog.partitions(admin, plan.deadLetterTopic());
            if (plan.to() != null && !DeadLetterLog.exists(admin, plan.to())) {
                throw new IllegalArgumentException("--to: no such topic: " + plan.to());
            }
            Producer<byte[], byte[]> producer = plan.dryRun() ? null : transactionalProducer();
            try (producer; KafkaConsumer<byte[], byte[]> consumer = DeadLetterLog.consumer(clientConfig, BATCH)) {
                // Progress is read after initTransactions fenced any earlier run, and "stable", so it is final.
                progress.putAll(DeadLetterLog.progress(consumer, partitions));
                Map<TopicPartition, Long> ends = DeadLetterLog.endOffsets(consumer, partitions);
                Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
                long pendingBefore = 0;
                for (TopicPartition partition : partitions) {
                    long end = ends.get(partition);
                    long pending = progress.get(partition).pending(end);
                    pendingBefore += pending;
                    alreadyHandled += Math.max(0, end - begins.get(partition) - pending);
                }
                boolean noProgress = progress.values().stream().noneMatch(PartitionProgress::wasCommitted);
                if (producer != null) {
                    refreshProgress(producer);
                }
                boolean maxReached = replay(admin, producer, consumer, ends);
                long pendingAfter = 0;
                for (TopicPartition partition : partitions) {
                    pendingAfter += progress.get(partition).pending(ends.get(partition));
                }
                return new Outcome(replayed, parked, skipped, leftBehind, alreadyHandled, noDestination, maxReached,
                        byException, byOriginalTopic, byDestination, stalled, pendingBefore, pendingAfter, noProgress);
            } catch (ProducerFencedException e) {
                throw new DeadLetterException("another replay or skip of " + plan.deadLetterTopic()
                        + " started and took over; this one stopped at its last commit", e);
            } catch (KafkaException e) {
                throw DeadLetterException.from(e);
            }
        }
    }

    private boolean replay(Admin admin, @Nullable Producer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, Long> ends) {
        Set<TopicPartition> active = new HashSet<>();
        long total = 0;
        for (Map.Entry<TopicPartition, PartitionProgress> entry : progress.entrySet()) {
            long end = ends.get(entry.getKey());
            if (entry.getValue().watermark() < end) {
                active.add(entry.getKey());
                total += end - entry.getValue().watermark();
            }
        }
        consumer.assign(active);
        consumer.resume(consumer.assignment());
        active.forEach(partition -> consumer.seek(partition, progress.get(partition).watermark()));
        long examined = 0;
        int idlePolls = 0;
        paceStart = System.nanoTime();
        boolean maxReached = false;
        try {
            while (!active.isEmpty() && !maxReached) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                idlePolls = records.isEmpty() ? idlePolls + 1 : 0;
                for (TopicPartition partition : records.partitions()) {
                    if (!active.contains(partition)) {
                        continue;
                    }
                    long end = ends.get(partition);
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                        if (record.offset() >= end) {
                            break;
                        }
                        examined++;
                        Step step = handle(admin, producer, new DeadLetter(record));
                        if (step == Step.MAX_REACHED) {
                            maxReached = true;
                            break;
                        }
                        if (step == Step.STALLED) {
                            stalled.add(partition.partition() + ":" + record.offset());
                            active.remove(partition);
                            break;
                        }
                        commitIfDue(producer, false);
                    }
                    if (maxReached) {
                        break;
                    }
                }
                commitIfDue(producer, false);
                listener.progressed(examined, total);
                active.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
                consumer.pause(consumer.assignment().stream().filter(p -> !active.contains(p)).toList());
                if (idlePolls > 60) {
                    throw new DeadLetterException("no records arrived for 30 s below the end offsets of "
                            + active + "; progress up to here is committed");
                }
            }
            commitIfDue(producer, true);
            listener.progressed(examined, total);
            return maxReached;
        } catch (RuntimeException e) {
            abortQuietly(producer);
            throw e;
        }
    }

    private enum Step { DONE, LEFT, MAX_REACHED, STALLED }

    private Step handle(Admin admin, @Nullable Producer<byte[], byte[]> producer, DeadLetter letter) {
        TopicPartition partition = new TopicPartition(letter.topic(), letter.partition());
        PartitionProgress partitionProgress = progress.get(partition);
        if (partitionProgress.isHandled(letter.offset())) {
            return Step.DONE;
        }
        if (!plan.filter().matches(letter)) {
            leftBehind++;
            return Step.LEFT;
        }
        if (plan.max() != null && replayed + parked + skipped >= plan.max()) {
            return Step.MAX_REACHED;
        }
        String destination = destination(letter);
        if (destination == null) {
            noDestination++;
            leftBehind++;
            return Step.LEFT;
        }
        if (!partitionProgress.canMark(letter.offset())) {
            return Step.STALLED;
        }
        if (!destination.equals(plan.parkingTopic()) && !destination.equals(plan.deadLetterTopic())
                && !destinationExists.computeIfAbsent(destination, topic -> DeadLetterLog.exists(admin, topic))) {
            if (!plan.dryRun()) {
                throw new DeadLetterException("record " + letter.partition() + ":" + letter.offset() + " goes to "
                        + destination + ", which does not exist; create it or pass --to (progress up to the last "
                        + "commit is kept)");
            }
            destination = destination + " (does not exist)";
        }
        // The cause is the listener's own exception; the outer class is usually spring-kafka's ListenerExecutionFailedException.
        count(byException, Optional.ofNullable(letter.exceptionCause()).or(() -> Optional.ofNullable(letter.exceptionClass()))
                .orElse("(no exception header)"));
        count(byOriginalTopic, Optional.ofNullable(letter.originalTopic()).orElse("(no original-topic header)"));
        if (plan.mode() == Mode.SKIP) {
            skipped++;
        } else if (destination.equals(plan.parkingTopic())) {
            parked++;
            count(byDestination, destination);
        } else {
            replayed++;
            count(byDestination, destination);
        }
        if (!plan.dryRun() && producer != null && plan.mode() == Mode.REPLAY) {
            pace();
            beginIfNeeded(producer);
            ProducerRecord<byte[], byte[]> record = destination.equals(plan.parkingTopic())
                    ? parked(admin, letter) : republished(letter, destination);
            producer.send(record);
        } else if (producer != null) {
            beginIfNeeded(producer);
        }
        partitionProgress.mark(letter.offset());
        return Step.DONE;
    }

    /** Where a matching record goes: the parking topic past {@code --max-replays}, else {@code --to} or its original topic. */
    private @Nullable String destination(DeadLetter letter) {
        if (plan.mode() == Mode.SKIP) {
            return plan.deadLetterTopic();
        }
        if (plan.maxReplays() != null && letter.replayCount() >= plan.maxReplays()) {
            return plan.parkingTopic();
        }
        return plan.to() != null ? plan.to() : letter.originalTopic();
    }

    /**
     * The record as its producer sent it: key, value and the producer's headers (CloudEvents, trace
     * context), without spring-kafka's failure headers — a replayed record is retried as new, with a
     * full retry budget, and if it fails again its next dead letter carries one fresh set of them.
     */
    private static ProducerRecord<byte[], byte[]> republished(DeadLetter letter, String destination) {
        Headers headers = new RecordHeaders();
        for (Header header : letter.record().headers()) {
            String name = header.key();
            if (!name.startsWith("kafka_") && !name.startsWith("retry_topic-") && !name.equals(DeadLetter.REPLAYED_FROM)
                    && !name.equals(DeadLetter.REPLAY_COUNT)) {
                headers.add(header);
            }
        }
        headers.add(DeadLetter.REPLAYED_FROM, letter.coordinates().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetter.REPLAY_COUNT,
                Integer.toString(letter.replayCount() + 1).getBytes(StandardCharsets.UTF_8));
        // The partition follows from the key, as it did for the original producer.
        return new ProducerRecord<>(destination, null, letter.record().key(), letter.record().value(), headers);
    }

    /** The dead letter unchanged, with every header, plus where it was parked from. */
    private ProducerRecord<byte[], byte[]> parked(Admin admin, DeadLetter letter) {
        if (parkingPartitions == 0) {
            parkingPartitions = ensureParkingTopic(admin);
        }
        Headers headers = new RecordHeaders(letter.record().headers().toArray());
        headers.add(DeadLetter.PARKED_FROM, letter.coordinates().getBytes(StandardCharsets.UTF_8));
        Integer partition = letter.partition() < parkingPartitions ? letter.partition() : null;
        return new ProducerRecord<>(plan.parkingTopic(), partition, letter.record().key(), letter.record().value(), headers);
    }

    private int ensureParkingTopic(Admin admin) {
        String topic = plan.parkingTopic();
        try {
            int partitions = DeadLetterLog.partitions(admin, plan.deadLetterTopic()).size();
            if (!DeadLetterLog.exists(admin, topic)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                            .all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw DeadLetterException.from(e.getCause());
                    }
                }
            }
            return DeadLetterLog.partitions(admin, topic).size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted");
        }
    }

    private Producer<byte[], byte[]> transactionalProducer() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        // One id per dead-letter topic: a second run fences the first, and aborts what it left open.
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sift-dlq-replay-" + plan.deadLetterTopic());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A crashed run leaves an open transaction that blocks read_committed consumers until it times out.
        config.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new DeadLetterException("cannot start a Kafka transaction (does the broker allow transactions, "
                    + "and this principal the transactional id sift-dlq-replay-*?): " + e.getMessage(), e);
        }
        return producer;
    }

    /**
     * Re-commits the progress of every partition first. Kafka drops a group's committed offsets
     * {@code offsets.retention.minutes} (7 days by default) after their last commit; a run that
     * has nothing to do must still renew them, or a later run would start over and replay again.
     */
    private void refreshProgress(Producer<byte[], byte[]> producer) {
        progress.values().forEach(PartitionProgress::touch);
        beginIfNeeded(producer);
        commitIfDue(producer, true);
    }

    private void beginIfNeeded(Producer<byte[], byte[]> producer) {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
            transactionStart = System.nanoTime();
            inTransactionCount = 0;
        }
        inTransactionCount++;
    }

    /** Commits records and progress together: when forced (the run ends), or when the transaction is full or a second old. */
    private void commitIfDue(@Nullable Producer<byte[], byte[]> producer, boolean force) {
        if (producer == null || !inTransaction || (!force && inTransactionCount < TRANSACTION_RECORDS
                && System.nanoTime() - transactionStart < COMMIT_INTERVAL_NANOS)) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, partitionProgress) -> {
            if (partitionProgress.changed()) {
                offsets.put(partition, partitionProgress.toCommit());
            }
        });
        producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(DeadLetterLog.REPLAY_GROUP));
        hook.beforeCommit(producer, ++transactions);
        // commitTransaction flushes and fails if any send failed, so progress never passes an unacknowledged record.
        producer.commitTransaction();
        inTransaction = false;
    }

    private void abortQuietly(@Nullable Producer<byte[], byte[]> producer) {
        if (producer != null && inTransaction) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // Fenced or closed: the next run's initTransactions aborts it, or the transaction times out.
            }
            inTransaction = false;
        }
    }

    /** Holds republishing to {@code --rate} records per second. */
    private void pace() {
        if (plan.rate() == null) {
            return;
        }
        long due = paceStart + (long) (sendsStarted++ * 1_000_000_000.0 / plan.rate());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeadLetterException("interrupted");
            }
        }
    }

    private static void count(Map<String, Long> histogram, String key) {
        histogram.merge(key, 1L, Long::sum);
    }
}
