package dev.sift.bills.intake;

import dev.sift.bills.BillSummaryProperties;
import dev.sift.bills.summaries.BillOutcome;
import dev.sift.bills.summaries.BillTask;
import dev.sift.bills.summaries.SummaryEngine;
import dev.sift.bills.summaries.SummaryListener;
import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillBatched;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.contracts.bill.BillSummarized;
import dev.sift.kafka.DeadLetters;
import dev.sift.kafka.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * One round of a batch: skip what is already done, summarise the rest with the configured engine, publish each
 * summary as soon as it is stored (a reader does not wait for the batch's slowest bill), and hand the failures on.
 *
 * <p>Idempotent by bill id ({@link SummaryStore}): a completed bill is never requested again (its event is
 * re-published if Kafka had not acknowledged it), a background response in flight is polled again instead of
 * paid for again, and a redelivered batch whose bills are all done changes nothing.
 */
@Component
class BillBatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(BillBatchProcessor.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

    private final SummaryEngine engine;
    private final SummaryStore store;
    private final EventPublisher events;
    private final BillSummaryProperties settings;
    private final DeadLetterPublishingRecoverer deadLetters;

    BillBatchProcessor(SummaryEngine engine, SummaryStore store, EventPublisher events, BillSummaryProperties settings,
            KafkaTemplate<String, byte[]> template) {
        this.engine = engine;
        this.store = store;
        this.events = events;
        this.settings = settings;
        this.deadLetters = DeadLetters.recoverer(template);
    }

    /**
     * Summarises the batch's bills that are not done yet.
     *
     * @throws BillsFailedException with the batch reduced to the bills that failed retryably
     */
    void process(BillBatched batch, ConsumerRecord<String, byte[]> source) {
        List<String> ids = batch.items().stream().map(BillReceived::billId).toList();
        Map<String, SummaryStore.Row> rows = store.load(ids);
        // Filled from the engine's threads as bills finish.
        List<CompletableFuture<?>> publishes = new CopyOnWriteArrayList<>();
        List<String> publishedIds = new CopyOnWriteArrayList<>();
        List<BillTask> tasks = new ArrayList<>();
        Instant resumeAfter = Instant.now().minus(settings.resumeWindow());
        for (BillReceived bill : batch.items()) {
            SummaryStore.Row row = rows.get(bill.billId());
            if (row != null && row.completed()) {
                if (row.publishedAt() == null) {
                    publishes.add(publish(event(row, BillSummarized.Status.COMPLETED), publishedIds));
                }
                continue;
            }
            boolean resumable = row != null && row.responseId() != null && row.requestedAt() != null
                    && row.requestedAt().isAfter(resumeAfter);
            tasks.add(new BillTask(bill, resumable ? row.responseId() : null, row == null ? 0 : row.attempts()));
        }
        ConcurrentLinkedQueue<BillOutcome> retryable = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<BillOutcome> permanent = new ConcurrentLinkedQueue<>();
        if (!tasks.isEmpty()) {
            log.info("Batch {}: summarising {} of {} bills", batch.batchId(), tasks.size(), batch.items().size());
            engine.summarize(tasks, new SummaryListener() {
                @Override
                public void created(String billId, String responseId, boolean hedge) {
                    if (!hedge) {
                        store.requested(billId, responseId);
                    }
                }

                @Override
                public void finished(BillOutcome outcome) {
                    switch (outcome.kind()) {
                        case COMPLETED -> {
                            store.finished(outcome, "COMPLETED", Instant.now());
                            SummaryStore.Row row = store.load(List.of(outcome.billId())).get(outcome.billId());
                            publishes.add(publish(event(row, BillSummarized.Status.COMPLETED), publishedIds));
                        }
                        case RETRYABLE_FAILURE -> {
                            store.finished(outcome, "REQUESTED", Instant.now());
                            retryable.add(outcome);
                        }
                        case PERMANENT_FAILURE -> {
                            store.finished(outcome, "FAILED", Instant.now());
                            SummaryStore.Row row = store.load(List.of(outcome.billId())).get(outcome.billId());
                            publishes.add(publish(event(row, BillSummarized.Status.FAILED), publishedIds));
                            permanent.add(outcome);
                        }
                    }
                }
            });
        }
        awaitPublished(publishes);
        store.publishedAll(publishedIds);
        if (!permanent.isEmpty()) {
            deadLetter(batch, source, permanent);
        }
        if (!retryable.isEmpty()) {
            List<String> failedIds = retryable.stream().map(BillOutcome::billId).toList();
            List<BillReceived> remaining = batch.items().stream().filter(b -> failedIds.contains(b.billId())).toList();
            throw new BillsFailedException(batch.withItems(remaining), retryable.size() + " of "
                    + batch.items().size() + " bills failed: " + retryable.stream()
                            .map(o -> o.billId() + " (" + o.failure() + ")").toList());
        }
    }

    /** The DLT's batch: every bill not completed is now FAILED for good, and says so once. */
    void failForGood(BillBatched batch) {
        Map<String, SummaryStore.Row> rows = store.load(batch.items().stream().map(BillReceived::billId).toList());
        List<CompletableFuture<?>> publishes = new ArrayList<>();
        List<String> publishedIds = new CopyOnWriteArrayList<>();
        for (BillReceived bill : batch.items()) {
            SummaryStore.Row row = rows.get(bill.billId());
            if (row != null && row.completed()) {
                continue;
            }
            if (row != null && row.failed() && row.publishedAt() != null) {
                continue;
            }
            BillOutcome failed = new BillOutcome(bill.billId(), BillOutcome.Kind.RETRYABLE_FAILURE, null,
                    engine.model(), 0, 0, row == null ? 0 : row.attempts(), "dead-lettered");
            store.finished(failed, "FAILED", Instant.now());
            SummaryStore.Row updated = store.load(List.of(bill.billId())).get(bill.billId());
            publishes.add(publish(event(updated, BillSummarized.Status.FAILED), publishedIds));
        }
        awaitPublished(publishes);
        store.publishedAll(publishedIds);
    }

    private CompletableFuture<?> publish(BillSummarized event, List<String> publishedIds) {
        return events.publish(Topics.BILL_SUMMARIZED, event.billId(), event).toFuture()
                .thenRun(() -> publishedIds.add(event.billId()));
    }

    private static void awaitPublished(List<CompletableFuture<?>> publishes) {
        try {
            CompletableFuture.allOf(publishes.toArray(CompletableFuture[]::new))
                    .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing summaries", e);
        } catch (Exception e) {
            // The batch is retried; what was stored is re-published from the store, nothing is paid again.
            throw new IllegalStateException("Publishing summaries failed: " + e, e);
        }
    }

    /** Bills that no retry can fix (the provider refused the request): the DLT, now, with the reason. */
    private void deadLetter(BillBatched batch, ConsumerRecord<String, byte[]> source,
            ConcurrentLinkedQueue<BillOutcome> permanent) {
        List<String> ids = permanent.stream().map(BillOutcome::billId).toList();
        byte[] value = Topics.BILL_BATCHED.valueSerde().toJson(
                batch.withItems(batch.items().stream().filter(b -> ids.contains(b.billId())).toList()));
        // Named after the batch topic, so the letter lands in sift.bill.batched.v1-dlt also from a retry topic.
        ConsumerRecord<Object, Object> record = new ConsumerRecord<>(Topics.BILL_BATCHED.name(), source.partition(),
                source.offset(), source.timestamp(), TimestampType.CREATE_TIME, -1, value.length, source.key(), value,
                new RecordHeaders(source.headers().toArray()), java.util.Optional.empty());
        String reason = permanent.stream().map(o -> o.billId() + ": " + o.failure()).toList().toString();
        deadLetters.accept(record, new PermanentBillFailure(reason));
        log.warn("Batch {}: {} bills failed permanently and went to the DLT: {}", batch.batchId(), ids.size(), reason);
    }

    private BillSummarized event(SummaryStore.Row row, BillSummarized.Status status) {
        return new BillSummarized(row.billId(), status, status == BillSummarized.Status.COMPLETED ? row.summary() : null,
                row.model() != null ? row.model() : engine.model(), row.inputTokens(), row.outputTokens(),
                row.attempts(), row.summarizedAt() != null ? row.summarizedAt() : Instant.now());
    }

    /** Why bills went straight to the DLT: the provider refused their request (a 4xx other than 408/409/429). */
    static final class PermanentBillFailure extends RuntimeException {
        PermanentBillFailure(String message) {
            super(message);
        }
    }
}
