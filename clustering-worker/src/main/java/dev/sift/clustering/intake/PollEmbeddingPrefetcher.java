package dev.sift.clustering.intake;

import dev.sift.clustering.clusters.PrefetchingEmbeddings;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every poll of the batch listener's consumers before the records are dispatched one by one, and embeds
 * the texts of all batches in it together ({@link PrefetchingEmbeddings}). This keeps the listener a record
 * listener — one record is one batch, with its own non-blocking retries — while batches that arrive together
 * share embedding requests. A failed prefetch is only logged: each batch then embeds its own texts, and fails
 * and retries on its own.
 */
public class PollEmbeddingPrefetcher implements ConsumerInterceptor<String, byte[]> {

    /** Consumer property carrying the {@link PrefetchingEmbeddings} instance. */
    public static final String EMBEDDINGS_CONFIG = "sift.clustering.prefetching-embeddings";

    private static final Logger log = LoggerFactory.getLogger(PollEmbeddingPrefetcher.class);

    private @Nullable PrefetchingEmbeddings embeddings;

    @Override
    public void configure(Map<String, ?> configs) {
        embeddings = (PrefetchingEmbeddings) configs.get(EMBEDDINGS_CONFIG);
    }

    @Override
    public ConsumerRecords<String, byte[]> onConsume(ConsumerRecords<String, byte[]> records) {
        if (embeddings == null || records.count() < 2) {
            return records;
        }
        List<FeedbackSubmitted> items = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                if (record.value() != null) {
                    items.addAll(Topics.FEEDBACK_BATCHED.valueSerde().fromJson(record.value()).items());
                }
            } catch (RuntimeException e) {
                // Not parseable: the listener sends it to the DLT; nothing to prefetch.
            }
        }
        try {
            embeddings.prefetch(items);
        } catch (RuntimeException e) {
            log.info("Prefetching {} embeddings for {} batches failed; each batch embeds on its own: {}", items.size(),
                    records.count(), e.toString());
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
