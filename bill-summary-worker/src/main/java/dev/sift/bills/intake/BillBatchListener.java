package dev.sift.bills.intake;

import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillBatched;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One record of {@code sift.bill.batched.v1} is one batch, so this is a record listener with non-blocking
 * retries ({@link BillRetryConfiguration}): a batch with failed bills moves on to a delayed retry topic holding
 * only those, and the partition goes on.
 */
@Component
class BillBatchListener {

    private static final Logger log = LoggerFactory.getLogger(BillBatchListener.class);

    private final BillBatchProcessor processor;

    BillBatchListener(BillBatchProcessor processor) {
        this.processor = processor;
    }

    @KafkaListener(id = "bill-summary-batches", topics = "sift.bill.batched.v1",
            groupId = "${sift.bills.retry.group-id:sift-bill-summary}", concurrency = "${sift.bills.concurrency:1}")
    void onBatch(ConsumerRecord<String, byte[]> record) {
        // An unparseable value throws SerializationException, which goes straight to the DLT.
        BillBatched batch = Topics.BILL_BATCHED.valueSerde().fromJson(record.value());
        log.debug("Batch {} with {} bills from {}", batch.batchId(), batch.items().size(), record.topic());
        processor.process(batch, record);
    }

    /** The last stop: the bills in this batch failed every retry (or were refused); they are FAILED for good. */
    void onDeadLetter(ConsumerRecord<String, byte[]> record) {
        BillBatched batch;
        try {
            batch = Topics.BILL_BATCHED.valueSerde().fromJson(record.value());
        } catch (RuntimeException e) {
            log.warn("Dead letter at {}-{}@{} does not parse; left for operators", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        processor.failForGood(batch);
    }
}
