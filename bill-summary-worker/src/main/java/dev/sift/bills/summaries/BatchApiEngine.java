package dev.sift.bills.summaries;

import dev.sift.ai.AiProviderException;
import dev.sift.ai.ResponseStatus;
import dev.sift.ai.ResponsesClient;
import dev.sift.ai.ResponsesClient.BatchState;
import dev.sift.ai.ResponsesClient.ResponseState;
import dev.sift.bills.BillSummaryProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code batch} mode, for work that can wait (half the token price, up to 24 h): the round's bills become one
 * JSONL file ({@code custom_id} = bill id), uploaded, run as one Batch API batch, polled every
 * {@code batch-api.poll-interval}, and read back from the output file (lines in any order). Bills whose line is
 * {@code failed}, {@code incomplete} or missing go into a follow-up batch while attempts remain. No hedging: the
 * Batch API has no latency to hedge against.
 */
public final class BatchApiEngine implements SummaryEngine {

    private static final Logger log = LoggerFactory.getLogger(BatchApiEngine.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ResponsesClient client;
    private final BillSummaryProperties settings;
    private final SummaryMetrics metrics;

    public BatchApiEngine(ResponsesClient client, BillSummaryProperties settings, SummaryMetrics metrics) {
        this.client = client;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public String model() {
        return client.model();
    }

    @Override
    public void summarize(List<BillTask> bills, SummaryListener listener) {
        Map<String, int[]> attempts = new HashMap<>();
        Map<String, long[]> tokens = new HashMap<>();
        bills.forEach(b -> {
            attempts.put(b.billId(), new int[1]);
            tokens.put(b.billId(), new long[2]);
        });
        List<BillTask> pending = bills;
        long deadline = System.nanoTime() + settings.roundTimeout().toNanos();
        while (!pending.isEmpty()) {
            StringBuilder jsonl = new StringBuilder();
            for (BillTask task : pending) {
                boolean retry = attempts.get(task.billId())[0]++ > 0;
                metrics.request(false, retry);
                jsonl.append(client.batchLine(task.billId(), SummaryPrompt.of(task.bill(), settings.maxOutputTokens())))
                        .append('\n');
            }
            Map<String, ResponseState> results;
            try {
                results = run(jsonl.toString(), deadline);
            } catch (AiProviderException e) {
                BillOutcome.Kind kind = e.retryable() ? BillOutcome.Kind.RETRYABLE_FAILURE
                        : BillOutcome.Kind.PERMANENT_FAILURE;
                pending.forEach(task -> listener.finished(outcome(task, kind, null, attempts, tokens, e.getMessage())));
                return;
            }
            List<BillTask> again = new ArrayList<>();
            for (BillTask task : pending) {
                ResponseState state = results.get(task.billId());
                if (state != null) {
                    long[] used = tokens.get(task.billId());
                    used[0] += state.inputTokens();
                    used[1] += state.outputTokens();
                }
                if (state != null && state.status() == ResponseStatus.COMPLETED && !state.text().isBlank()) {
                    listener.finished(new BillOutcome(task.billId(), BillOutcome.Kind.COMPLETED, state.text(),
                            state.model(), tokens.get(task.billId())[0], tokens.get(task.billId())[1],
                            task.attemptsSoFar() + attempts.get(task.billId())[0], null));
                } else if (attempts.get(task.billId())[0] < settings.maxAttempts()) {
                    again.add(task);
                } else {
                    String failure = state == null ? "missing from the batch output"
                            : state.status().wire() + (state.failure() == null ? "" : ": " + state.failure());
                    listener.finished(outcome(task, BillOutcome.Kind.RETRYABLE_FAILURE, null, attempts, tokens,
                            failure));
                }
            }
            pending = again;
        }
    }

    private BillOutcome outcome(BillTask task, BillOutcome.Kind kind, @Nullable String summary,
            Map<String, int[]> attempts, Map<String, long[]> tokens, @Nullable String failure) {
        return new BillOutcome(task.billId(), kind, summary, model(), tokens.get(task.billId())[0],
                tokens.get(task.billId())[1], task.attemptsSoFar() + attempts.get(task.billId())[0], failure);
    }

    /** Upload, create, poll until done, read the output: the state of every line, by custom id. */
    private Map<String, ResponseState> run(String jsonl, long deadline) {
        String fileId = client.uploadBatchInput(jsonl);
        BatchState batch = client.createBatch(fileId);
        while (!batch.done()) {
            if (System.nanoTime() > deadline) {
                throw new AiProviderException("batch " + batch.id() + " not done within " + settings.roundTimeout(),
                        0, true, null, null);
            }
            try {
                Thread.sleep(settings.batchApi().pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AiProviderException.unreachable(client.provider(), e);
            }
            metrics.poll();
            try {
                batch = client.retrieveBatch(batch.id());
            } catch (AiProviderException e) {
                if (!e.retryable()) {
                    throw e;
                }
                log.debug("Polling batch {} failed, polling again: {}", batch.id(), e.getMessage());
            }
        }
        log.info("Batch {} {}: {} of {} completed, {} failed", batch.id(), batch.status(), batch.completed(),
                batch.total(), batch.failed());
        Map<String, ResponseState> results = new HashMap<>();
        if (batch.outputFileId() == null) {
            return results;
        }
        for (String line : client.fileContent(batch.outputFileId()).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            JsonNode body = node.path("response").path("body");
            if (node.path("response").path("status_code").asInt(0) == 200 && body.isObject()) {
                results.put(node.path("custom_id").asString(), client.parseResponse(body.toString()));
            }
        }
        return results;
    }
}
