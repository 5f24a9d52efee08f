package dev.sift.clustering.clusters;

import dev.sift.ai.EmbeddingClient;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Embeddings of feedback, shared across the batches of one poll: {@link #prefetch} embeds every text of all
 * batches a consumer poll returned in as few requests as the provider's limits allow, and {@link #embed} then
 * takes a batch's vectors from there, embedding only what is missing. So 1,000 small batches closed together by
 * the 2-hour rule cost a handful of requests, not 1,000.
 *
 * <p>Vectors are keyed by feedback id and text and removed when taken; the cache is bounded because a prefetch
 * whose batches then fail (or move to another consumer) would otherwise leave its vectors behind.
 */
@Component
public class PrefetchingEmbeddings {

    static final int MAX_CACHED = 50_000;

    private final EmbeddingClient client;
    private final ClusterStore store;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    PrefetchingEmbeddings(EmbeddingClient client, ClusterStore store) {
        this.client = client;
        this.store = store;
    }

    public String model() {
        return client.model();
    }

    /**
     * Embeds what is neither cached nor clustered already (a redelivered or retried batch pays nothing twice), in
     * one call split only at the provider's limits.
     */
    public void prefetch(List<FeedbackSubmitted> items) {
        Set<String> clustered = store.alreadyAssigned(items.stream().map(FeedbackSubmitted::feedbackId).toList());
        Map<String, String> missing = new LinkedHashMap<>();
        for (FeedbackSubmitted item : items) {
            if (clustered.contains(item.feedbackId())) {
                continue;
            }
            String key = key(item);
            if (!cache.containsKey(key)) {
                missing.putIfAbsent(key, item.text());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (cache.size() + missing.size() > MAX_CACHED) {
            cache.clear();
        }
        EmbeddingClient.Embeddings result = client.embed(List.copyOf(missing.values()));
        requests.addAndGet(result.requests());
        int i = 0;
        for (String key : missing.keySet()) {
            cache.put(key, result.vectors().get(i++));
        }
    }

    /** Vectors in the order of {@code items}: taken from the prefetch where present, the rest in one call. */
    public List<float[]> embed(List<FeedbackSubmitted> items) {
        float[][] vectors = new float[items.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            vectors[i] = cache.remove(key(items.get(i)));
            if (vectors[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            EmbeddingClient.Embeddings result = client.embed(missing.stream().map(i -> items.get(i).text()).toList());
            requests.addAndGet(result.requests());
            for (int j = 0; j < missing.size(); j++) {
                vectors[missing.get(j)] = result.vectors().get(j);
            }
        }
        return List.of(vectors);
    }

    /** Provider requests made so far (for benchmarks and metrics). */
    public long requests() {
        return requests.get();
    }

    private static String key(FeedbackSubmitted item) {
        return item.feedbackId() + '\n' + item.text();
    }
}
