package dev.sift.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sift.ai.EmbeddingClient.Embeddings;
import dev.sift.testing.AiProviderStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAI and Voyage embedding clients against an HTTP stand-in that speaks their wire format. */
class EmbeddingClientsTest {

    private final AiProviderStandIn standIn = new AiProviderStandIn();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        standIn.close();
    }

    private EmbeddingClient client(String provider, Duration timeout) {
        AiProperties.Port port = new AiProperties.Port(provider, standIn.baseUrl(), "test-key", null, null, null, 2,
                timeout, Duration.ofSeconds(5), Duration.ofSeconds(5), 2);
        return AiClients.embeddingClient(port, registry);
    }

    @Test
    void voyageSendsDocumentInputsAndReturnsVectorsInInputOrder() {
        Embeddings result = client("voyage", Duration.ofSeconds(5)).embed(List.of("sound is too quiet", "great slides"));

        assertThat(result.vectors()).hasSize(2);
        assertThat(result.vectors().get(0)).containsExactly(AiProviderStandIn.vectorOf("sound is too quiet"));
        assertThat(result.vectors().get(1)).containsExactly(AiProviderStandIn.vectorOf("great slides"));
        assertThat(result.inputTokens()).isEqualTo(6);
        AiProviderStandIn.Received request = standIn.received().getFirst();
        assertThat(request.authorization()).isEqualTo("Bearer test-key");
        assertThat(request.body().path("model").asString()).isEqualTo("voyage-3.5");
        assertThat(request.body().path("input_type").asString()).isEqualTo("document");
    }

    @Test
    void openAiAsksForFloatEncoding() {
        client("openai", Duration.ofSeconds(5)).embed(List.of("a"));

        AiProviderStandIn.Received request = standIn.received().getFirst();
        assertThat(request.body().path("model").asString()).isEqualTo("text-embedding-3-small");
        assertThat(request.body().path("encoding_format").asString()).isEqualTo("float");
        assertThat(request.body().has("input_type")).isFalse();
    }

    @Test
    void splitsOnlyAtTheProvidersInputLimit() {
        List<String> texts = IntStream.range(0, 2_500).mapToObj(i -> "feedback " + i).toList();

        Embeddings openAi = client("openai", Duration.ofSeconds(5)).embed(texts);
        assertThat(openAi.requests()).isEqualTo(2);
        assertThat(standIn.received()).extracting(r -> r.body().path("input").size()).containsExactly(2_048, 452);

        standIn.reset();
        Embeddings voyage = client("voyage", Duration.ofSeconds(5)).embed(texts);
        assertThat(voyage.requests()).isEqualTo(3);
        assertThat(voyage.vectors()).hasSize(2_500);
        assertThat(voyage.vectors().get(1_234)).containsExactly(AiProviderStandIn.vectorOf("feedback 1234"));
    }

    @Test
    void splitsAtTheTokenLimit() {
        String longText = "word ".repeat(180_000);
        List<List<String>> chunks = GuardedEmbeddingClient.split(List.of(longText, longText, "short"),
                ProviderLimits.VOYAGE);
        assertThat(chunks).extracting(List::size).containsExactly(1, 2);
    }

    @Test
    void embedsATextLongerThanTheProviderTakesByItsBeginningInsteadOfFailingTheRequest() {
        standIn.maxInputTokens(8_192);
        String tooLong = "word ".repeat(30_000);

        Embeddings result = client("openai", Duration.ofSeconds(5)).embed(List.of("short", tooLong));

        assertThat(result.vectors()).hasSize(2);
        String sent = standIn.received().getLast().body().path("input").get(1).asString();
        assertThat(tooLong).startsWith(sent);
        assertThat(sent.split("\\s+").length).isLessThanOrEqualTo(8_192);
        assertThat(ProviderLimits.OPENAI.fitInput("short")).isEqualTo("short");
        assertThat(ProviderLimits.OPENAI.fitInput("😀".repeat(20_000))).doesNotEndWith("\ud83d");
    }

    @Test
    void waitsOutRetryAfterOn429ThenSucceeds() {
        standIn.failNext(1, 429, Duration.ofSeconds(1));

        Embeddings result = client("voyage", Duration.ofSeconds(5)).embed(List.of("x"));

        assertThat(result.vectors()).hasSize(1);
        List<AiProviderStandIn.Received> requests = standIn.received();
        assertThat(requests).hasSize(2);
        assertThat(Duration.ofNanos(requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(registry.get("gen_ai.client.operation.duration").tag("error.type", "429").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("gen_ai.client.token.usage").tag("gen_ai.provider.name", "voyage")
                .tag("gen_ai.token.type", "input").summary().totalAmount()).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetryableAndBadRequestsPermanent() {
        standIn.failNext(1, 500, null).failNext(1, 400, null);
        EmbeddingClient client = client("openai", Duration.ofSeconds(5));

        assertThatThrownBy(() -> client.embed(List.of("x"))).isInstanceOfSatisfying(AiProviderException.class,
                e -> assertThat(e.retryable()).isTrue());
        assertThatThrownBy(() -> client.embed(List.of("x"))).isInstanceOf(PermanentAiProviderException.class)
                .hasMessageContaining("400");
    }

    @Test
    void aSlowProviderTimesOutRetryably() {
        standIn.latency(Duration.ofSeconds(2));

        assertThatThrownBy(() -> client("voyage", Duration.ofMillis(200)).embed(List.of("x")))
                .isInstanceOfSatisfying(AiProviderException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void localModelEmbedsIn384DimensionsAndKeepsMeaning() {
        AiProperties.Port port = new AiProperties.Port("local", null, null, null, null, null, 2,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 2);
        Embeddings result = AiClients.embeddingClient(port, registry).embed(
                List.of("The audio is too quiet", "I can barely hear the sound", "The quiz deadline is tomorrow"));

        assertThat(result.vectors()).allSatisfy(v -> assertThat(v).hasSize(384));
        double similar = cosine(result.vectors().get(0), result.vectors().get(1));
        double different = cosine(result.vectors().get(0), result.vectors().get(2));
        assertThat(similar).isGreaterThan(different + 0.1);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
