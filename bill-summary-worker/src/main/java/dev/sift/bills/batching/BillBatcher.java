package dev.sift.bills.batching;

import dev.sift.batching.BatchPipeline;
import dev.sift.batching.BatchSettings;
import dev.sift.batching.BatcherMetrics;
import dev.sift.batching.BatchingTopology;
import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillBatched;
import dev.sift.contracts.bill.BillReceived;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * The bills pipeline of the batcher: {@code sift.bill.received.v1} (key bill id) → {@code sift.bill.batched.v1}
 * (key proposal date). Bills are re-keyed by proposal date and repartitioned (internal topic
 * {@code <application-id>-bills-by-group-repartition}), since batching by their own key would make batches of one
 * and a day's bills arrive on every partition; unparseable records go to {@code sift.bill.received.v1-dlt}.
 */
public final class BillBatcher {

    /** Settings key under {@code sift.batching.pipelines}. */
    public static final String PIPELINE_NAME = "bills";

    static final BatchPipeline<BillReceived, BillBatched> PIPELINE = new BatchPipeline<>(PIPELINE_NAME,
            Topics.BILL_RECEIVED, Topics.BILL_BATCHED, BillReceived::billId,
            (batchId, day, reason, openedAt, closedAt, items) -> new BillBatched(batchId,
                    items.getFirst().proposedAt(), BillBatched.ClosedBy.valueOf(reason.name()), openedAt, closedAt,
                    items),
            bill -> bill.proposedAt().toString());

    private BillBatcher() {
    }

    /** Builds the production topology; tests call exactly this. */
    public static void buildTopology(StreamsBuilder builder, BatchSettings settings, BatcherMetrics metrics) {
        BatchingTopology.addTo(builder, PIPELINE, settings, metrics);
    }
}
