package dev.sift.ai;

import dev.sift.ai.TextGenerator.GenerationRequest;
import org.jspecify.annotations.Nullable;

/**
 * The Responses API as bill summaries use it: create (synchronous or {@code background: true}), retrieve by id,
 * cancel; and the Batch API (upload a JSONL file, create a batch, poll it, read its output file). Every call goes
 * through the provider's {@link ProviderGuard}. Transport failures throw {@link AiProviderException}; the
 * {@link ResponseStatus statuses} of a response, {@code failed} and {@code incomplete} included, are returned as
 * data.
 */
public interface ResponsesClient {

    /** {@code gen_ai.provider.name}. */
    String provider();

    /** The model requests ask for. */
    String model();

    /**
     * {@code POST /v1/responses}. With {@code background} the answer comes at once with status {@code queued}; without,
     * when the generation is done.
     */
    ResponseState create(GenerationRequest request, boolean background);

    /** {@code GET /v1/responses/{id}}. */
    ResponseState retrieve(String responseId);

    /** {@code POST /v1/responses/{id}/cancel}; harmless on a response that already finished. */
    ResponseState cancel(String responseId);

    /** One line of a Batch API input file: {@code {"custom_id", "method": "POST", "url": "/v1/responses", "body"}}. */
    String batchLine(String customId, GenerationRequest request);

    /** {@code POST /v1/files} with {@code purpose=batch}; the file's id. */
    String uploadBatchInput(String jsonl);

    /** {@code POST /v1/batches} over {@code /v1/responses} with a 24 h window. */
    BatchState createBatch(String inputFileId);

    /** {@code GET /v1/batches/{id}}. */
    BatchState retrieveBatch(String batchId);

    /** {@code GET /v1/files/{id}/content}, as text (JSONL for batch output and error files). */
    String fileContent(String fileId);

    /** A response object as JSON (a batch output line's {@code response.body}), read like {@link #retrieve}'s answer. */
    ResponseState parseResponse(String json);

    /**
     * What a response says about itself.
     *
     * @param text the concatenated {@code output_text} parts; empty unless completed
     * @param failure {@code error.code: message} of a failed response, {@code incomplete_details.reason} of an
     *     incomplete one, else null
     */
    record ResponseState(String id, ResponseStatus status, String text, String model, long inputTokens,
            long outputTokens, @Nullable String failure) {
    }

    /**
     * A batch's progress.
     *
     * @param status {@code validating}, {@code in_progress}, {@code finalizing}, {@code completed}, {@code failed},
     *     {@code expired}, {@code cancelling}, {@code cancelled}
     */
    record BatchState(String id, String status, @Nullable String outputFileId, @Nullable String errorFileId,
            long total, long completed, long failed) {

        /** Nothing will change any more; an expired batch still has an output file for what completed. */
        public boolean done() {
            return switch (status) {
                case "completed", "failed", "expired", "cancelled" -> true;
                default -> false;
            };
        }
    }
}
