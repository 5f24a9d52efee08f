package dev.sift.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sift.ai.ResponsesClient.BatchState;
import dev.sift.ai.ResponsesClient.ResponseState;
import dev.sift.ai.TextGenerator.GenerationRequest;
import dev.sift.testing.ResponsesApiStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SDK-based client against the Responses/Files/Batches stand-in: real HTTP, the API's JSON shapes. */
class ResponsesClientTest {

    private final ResponsesApiStandIn standIn = new ResponsesApiStandIn();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        standIn.close();
    }

    private ResponsesClient client() {
        AiProperties.Port port = new AiProperties.Port("openai", standIn.baseUrl(), "test-key", "gpt-4.1-mini", null,
                null, 4, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5), 2);
        return AiClients.responsesClient(port, registry).orElseThrow();
    }

    private static GenerationRequest request(String input) {
        return new GenerationRequest("Summarise in three paragraphs.", input, "", "", 800);
    }

    @Test
    void synchronousCreateReturnsTheCompletedTextAndUsage() {
        ResponseState state = client().create(request("Bill one. It does things."), false);

        assertThat(state.status()).isEqualTo(ResponseStatus.COMPLETED);
        assertThat(state.text()).isEqualTo("Summary: Bill one.");
        assertThat(state.inputTokens()).isPositive();
        assertThat(state.outputTokens()).isEqualTo(3);
        assertThat(state.model()).isEqualTo("gpt-4.1-mini-2025-04-14");
        assertThat(standIn.creates().getFirst().authorization()).isEqualTo("Bearer test-key");
        assertThat(standIn.creates().getFirst().background()).isFalse();
    }

    @Test
    void backgroundCreateAnswersQueuedAndRetrieveSeesItComplete() throws Exception {
        standIn.latency(ResponsesApiStandIn.LatencyModel.fixed(Duration.ofMillis(1500)), 1);
        ResponsesClient client = client();
        client.retrieve(client.create(request("Warm-up."), false).id());

        ResponseState created = client.create(request("Bill two."), true);
        assertThat(created.status()).isEqualTo(ResponseStatus.QUEUED);
        assertThat(client.retrieve(created.id()).status()).isIn(ResponseStatus.QUEUED, ResponseStatus.IN_PROGRESS);
        Thread.sleep(1600);
        ResponseState done = client.retrieve(created.id());
        assertThat(done.status()).isEqualTo(ResponseStatus.COMPLETED);
        assertThat(done.text()).isEqualTo("Summary: Bill two.");
    }

    @Test
    void failedAndIncompleteAreDataNotExceptions() throws Exception {
        standIn.outcomes("BAD", "failed", "incomplete");
        ResponsesClient client = client();

        ResponseState failed = client.create(request("BAD bill."), false);
        ResponseState incomplete = client.create(request("BAD bill."), false);

        assertThat(failed.status()).isEqualTo(ResponseStatus.FAILED);
        assertThat(failed.failure()).contains("server_error");
        assertThat(incomplete.status()).isEqualTo(ResponseStatus.INCOMPLETE);
        assertThat(incomplete.failure()).isEqualTo("max_output_tokens");
    }

    @Test
    void cancelStopsARunningBackgroundResponse() {
        standIn.latency(ResponsesApiStandIn.LatencyModel.fixed(Duration.ofSeconds(30)), 1);
        ResponsesClient client = client();
        ResponseState created = client.create(request("Slow bill."), true);

        ResponseState cancelled = client.cancel(created.id());

        assertThat(cancelled.status()).isEqualTo(ResponseStatus.CANCELLED);
        assertThat(client.cancel(created.id()).status()).isEqualTo(ResponseStatus.CANCELLED);
        assertThat(standIn.cancelled()).containsExactly(created.id());
    }

    @Test
    void rateLimitWithRetryAfterIsWaitedOutByTheGuardNotTheSdk() {
        standIn.failNextCreates(1, 429, Duration.ofSeconds(1));
        long start = System.nanoTime();

        ResponseState state = client().create(request("Bill three."), false);

        assertThat(state.status()).isEqualTo(ResponseStatus.COMPLETED);
        assertThat(standIn.creates()).hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void serverErrorIsRetryableAndNotRetriedBySdk() {
        standIn.failNextCreates(1, 500, null);

        assertThatThrownBy(() -> client().create(request("Bill four."), false))
                .isInstanceOfSatisfying(AiProviderException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(standIn.creates()).hasSize(1);
    }

    @Test
    void batchApiRoundTrip() throws Exception {
        standIn.batchDuration(Duration.ofMillis(100)).outcomes("BAD", "failed");
        ResponsesClient client = client();
        String jsonl = client.batchLine("bill-1", request("First bill. More.")) + "\n"
                + client.batchLine("bill-2", request("BAD second bill.")) + "\n";

        String fileId = client.uploadBatchInput(jsonl);
        BatchState batch = client.createBatch(fileId);
        assertThat(batch.done()).isFalse();
        Thread.sleep(150);
        BatchState done = client.retrieveBatch(batch.id());

        assertThat(done.status()).isEqualTo("completed");
        assertThat(done.total()).isEqualTo(2);
        String output = client.fileContent(done.outputFileId());
        assertThat(output.lines()).hasSize(2);
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (String line : output.lines().toList()) {
            var node = json.readTree(line);
            ResponseState state = client.parseResponse(node.path("response").path("body").toString());
            if ("bill-1".equals(node.path("custom_id").asString())) {
                assertThat(state.text()).isEqualTo("Summary: First bill.");
            } else {
                assertThat(state.status()).isEqualTo(ResponseStatus.FAILED);
            }
        }
    }

    @Test
    void textGeneratorKeepsItsBehaviour() {
        AiProperties.Port port = new AiProperties.Port("openai", standIn.baseUrl(), "test-key", null, null, null, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5), 2);
        TextGenerator generator = AiClients.textGenerator(port, registry).orElseThrow();

        TextGenerator.Generation generation = generator.generate(new GenerationRequest("Label.", "Some text.",
                "labels", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}", 100));

        assertThat(generation.text()).isEqualTo("Summary: Some text.");
        assertThat(standIn.creates().getFirst().body().path("text").path("format").path("type").asString())
                .isEqualTo("json_schema");
        standIn.outcomes("Fail", "incomplete");
        assertThatThrownBy(() -> generator.generate(new GenerationRequest("Label.", "Fail me.", "", "", 100)))
                .isInstanceOf(AiProviderException.class).hasMessageContaining("incomplete");
    }
}
