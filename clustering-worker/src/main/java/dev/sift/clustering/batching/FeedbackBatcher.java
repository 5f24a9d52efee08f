package dev.sift.clustering.batching;

import dev.sift.batching.BatchPipeline;
import dev.sift.batching.BatchSettings;
import dev.sift.batching.BatcherMetrics;
import dev.sift.batching.BatchingTopology;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackBatched;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * The feedback pipeline of the batcher: {@code sift.feedback.submitted.v1} → {@code sift.feedback.batched.v1},
 * keyed by organisation id; unparseable records go to {@code sift.feedback.submitted.v1-dlt}.
 */
public final class FeedbackBatcher {

    /** Settings key under {@code sift.batching.pipelines}. */
    public static final String PIPELINE_NAME = "feedback";

    static final BatchPipeline<FeedbackSubmitted, FeedbackBatched> PIPELINE = new BatchPipeline<>(PIPELINE_NAME,
            Topics.FEEDBACK_SUBMITTED, Topics.FEEDBACK_BATCHED, FeedbackSubmitted::feedbackId,
            (batchId, organizationId, reason, openedAt, closedAt, items) -> new FeedbackBatched(batchId,
                    organizationId, FeedbackBatched.ClosedBy.valueOf(reason.name()), openedAt, closedAt, items));

    private FeedbackBatcher() {
    }

    /** Builds the production topology; tests call exactly this. */
    public static void buildTopology(StreamsBuilder builder, BatchSettings settings, BatcherMetrics metrics) {
        BatchingTopology.addTo(builder, PIPELINE, settings, metrics);
    }
}
