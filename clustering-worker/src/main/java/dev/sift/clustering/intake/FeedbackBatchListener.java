package dev.sift.clustering.intake;

import dev.sift.clustering.clusters.BatchClusterer;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackBatched;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One record of {@code sift.feedback.batched.v1} is one batch, so this is a record listener and can use
 * non-blocking retries: a failed batch moves to a delayed retry topic and the partition goes on (see
 * {@link BatchRetryConfiguration}).
 */
@Component
class FeedbackBatchListener {

    private static final Logger log = LoggerFactory.getLogger(FeedbackBatchListener.class);

    private final BatchClusterer clusterer;

    FeedbackBatchListener(BatchClusterer clusterer) {
        this.clusterer = clusterer;
    }

    @KafkaListener(id = "clustering-batches", topics = "sift.feedback.batched.v1",
            groupId = "${sift.clustering.retry.group-id:sift-clustering}",
            concurrency = "${sift.clustering.concurrency:2}",
            containerFactory = BatchListenerFactoryConfiguration.FACTORY)
    void onBatch(ConsumerRecord<String, byte[]> record) {
        // An unparseable value throws SerializationException, which goes straight to the DLT.
        FeedbackBatched batch = Topics.FEEDBACK_BATCHED.valueSerde().fromJson(record.value());
        log.debug("Batch {} of {} with {} items from {}", batch.batchId(), batch.organizationId(),
                batch.items().size(), record.topic());
        clusterer.process(batch);
    }
}
