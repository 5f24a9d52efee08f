package dev.sift.ai;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ResponseUsage;
import dev.sift.ai.TextGenerator.GenerationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ResponsesClient} on the official {@code openai-java} SDK. The SDK's own retries are off
 * ({@code maxRetries(0)}): the {@link ProviderGuard} alone decides what is waited for (429 with
 * {@code Retry-After}) and everything else goes back to the caller, whose retry topics decide.
 *
 * <p>Creating a response goes through the {@code create} guard (requests and tokens per minute, concurrency);
 * retrieving, cancelling and the Files/Batches calls through the {@code control} guard, so polls never take
 * tokens or request slots that generations need.
 */
final class OpenAiResponsesClient implements ResponsesClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenAIClient client;
    private final String model;
    private final ProviderGuard create;
    private final ProviderGuard control;

    OpenAiResponsesClient(String baseUrl, String apiKey, String model, Duration timeout, ProviderGuard create,
            ProviderGuard control) {
        this.client = OpenAiSdk.client(baseUrl, apiKey, timeout);
        this.model = model;
        this.create = create;
        this.control = control;
    }

    @Override
    public String provider() {
        return "openai";
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public ResponseState create(GenerationRequest request, boolean background) {
        long estimate = ProviderLimits.estimateTokens(request.instructions() + request.input())
                + request.maxOutputTokens();
        ResponseCreateParams params = params(request, background);
        ResponseState state = create.call(model, estimate, () -> sdk(() -> toState(client.responses().create(params))));
        if (state.status().terminal()) {
            create.recordUsage(model, new ProviderGuard.Usage(state.inputTokens(), state.outputTokens()));
        }
        return state;
    }

    @Override
    public ResponseState retrieve(String responseId) {
        ResponseState state = control.call(model, 1, () -> sdk(() -> toState(client.responses().retrieve(responseId))));
        if (state.status().terminal()) {
            // Background responses report their usage once done: count it against the generation's tokens.
            create.recordUsage(model, new ProviderGuard.Usage(state.inputTokens(), state.outputTokens()));
        }
        return state;
    }

    @Override
    public ResponseState cancel(String responseId) {
        return control.call(model, 1, () -> sdk(() -> toState(client.responses().cancel(responseId))));
    }

    @Override
    public String batchLine(String customId, GenerationRequest request) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("custom_id", customId);
        line.put("method", "POST");
        line.put("url", "/v1/responses");
        line.put("body", body(request));
        return JSON.writeValueAsString(line);
    }

    @Override
    public String uploadBatchInput(String jsonl) {
        FileCreateParams params = FileCreateParams.builder()
                .file(jsonl.getBytes(StandardCharsets.UTF_8))
                .purpose(FilePurpose.BATCH)
                .build();
        return control.call(model, 1, () -> sdk(() -> client.files().create(params).id()));
    }

    @Override
    public BatchState createBatch(String inputFileId) {
        BatchCreateParams params = BatchCreateParams.builder()
                .inputFileId(inputFileId)
                .endpoint(BatchCreateParams.Endpoint.V1_RESPONSES)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .build();
        return control.call(model, 1, () -> sdk(() -> toState(client.batches().create(params))));
    }

    @Override
    public BatchState retrieveBatch(String batchId) {
        return control.call(model, 1, () -> sdk(() -> toState(client.batches().retrieve(batchId))));
    }

    @Override
    public String fileContent(String fileId) {
        return control.call(model, 1, () -> sdk(() -> {
            try (HttpResponse response = client.files().content(fileId); InputStream body = response.body()) {
                return new String(body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw AiProviderException.unreachable(provider(), e);
            }
        }));
    }

    @Override
    public ResponseState parseResponse(String json) {
        try {
            return toState(ObjectMappers.jsonMapper().readValue(json, Response.class));
        } catch (IOException e) {
            throw new AiProviderException("openai: unreadable response object: " + e.getMessage(), 0, true, null, e);
        }
    }

    private ResponseCreateParams params(GenerationRequest request, boolean background) {
        ResponseCreateParams.Builder builder = ResponseCreateParams.builder()
                .model(model)
                .instructions(request.instructions())
                .input(request.input())
                .maxOutputTokens(request.maxOutputTokens());
        if (background) {
            builder.background(true);
        }
        if (!request.jsonSchema().isBlank()) {
            Map<String, JsonValue> schema = new LinkedHashMap<>();
            JSON.readValue(request.jsonSchema(), Map.class).forEach((key, value) -> schema.put((String) key,
                    JsonValue.from(value)));
            builder.text(ResponseTextConfig.builder()
                    .format(ResponseFormatTextJsonSchemaConfig.builder()
                            .name(request.schemaName())
                            .strict(true)
                            .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                                    .additionalProperties(schema).build())
                            .build())
                    .build());
        }
        return builder.build();
    }

    /** The request body as the wire has it, for batch input lines (which carry no {@code background}). */
    private Map<String, Object> body(GenerationRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("instructions", request.instructions());
        body.put("input", request.input());
        body.put("max_output_tokens", request.maxOutputTokens());
        if (!request.jsonSchema().isBlank()) {
            body.put("text", Map.of("format", Map.of("type", "json_schema", "name", request.schemaName(),
                    "strict", true, "schema", JSON.readTree(request.jsonSchema()))));
        }
        return body;
    }

    private ResponseState toState(Response response) {
        ResponseStatus status = response.status().map(s -> ResponseStatus.of(s.asString()))
                .orElse(ResponseStatus.IN_PROGRESS);
        StringBuilder text = new StringBuilder();
        for (ResponseOutputItem item : response.output()) {
            for (ResponseOutputMessage.Content content : item.message().map(ResponseOutputMessage::content)
                    .orElse(List.of())) {
                content.outputText().ifPresent(part -> text.append(part.text()));
            }
        }
        long input = response.usage().map(ResponseUsage::inputTokens).orElse(0L);
        long output = response.usage().map(ResponseUsage::outputTokens).orElse(0L);
        String failure = null;
        if (status == ResponseStatus.FAILED) {
            failure = response.error().map(e -> e.code().asString() + ": " + e.message()).orElse("failed");
        } else if (status == ResponseStatus.INCOMPLETE) {
            failure = response.incompleteDetails().flatMap(Response.IncompleteDetails::reason)
                    .map(r -> r.asString()).orElse("incomplete");
        }
        String answeredModel = response._model().asKnown().map(m -> m.isString() ? m.asString()
                : m.isChat() ? m.asChat().asString() : m.isOnly() ? m.asOnly().asString() : model).orElse(model);
        return new ResponseState(response.id(), status, text.toString(), answeredModel, input, output, failure);
    }

    private static BatchState toState(Batch batch) {
        return new BatchState(batch.id(), batch.status().asString(), batch.outputFileId().orElse(null),
                batch.errorFileId().orElse(null), batch.requestCounts().map(c -> c.total()).orElse(0L),
                batch.requestCounts().map(c -> c.completed()).orElse(0L),
                batch.requestCounts().map(c -> c.failed()).orElse(0L));
    }

    /** SDK exceptions → {@link AiProviderException} with the providers' retry rules and {@code Retry-After}. */
    private <T> T sdk(Supplier<T> call) {
        return OpenAiSdk.call(provider(), call);
    }
}
