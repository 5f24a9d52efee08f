package dev.sift.report;

import dev.sift.testing.AiProviderStandIn;
import dev.sift.testing.RealInfrastructure;
import dev.sift.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The one report-service context the ITs share (one Spring context, so one Kafka Streams instance and one set
 * of listeners): the real broker and Postgres, tokens of {@link TestTokens#shared()}, and the LLM served by an
 * {@link AiProviderStandIn} that counts requests. Retry delays are short so that retries and dead letters
 * happen within a test. A GENERATING is answered from memory for 10 s (production: 1 s), so that the fast path's
 * answers do not depend on how fast a loaded machine sends the next request, and so that every test relies on a
 * completion or failure here being seen at once.
 */
@RealInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sift.report.dashboard.commit-interval=100ms", "sift.report.dashboard.write-interval=100ms",
        "sift.ai.generation.provider=openai", "sift.ai.generation.api-key=test-key",
        "sift.ai.generation.model=gpt-test", "sift.report.reports.retry-delays=300ms,600ms",
        "sift.report.reports.retry-after=2s", "sift.report.reports.generating-reuse=10s"})
public abstract class RealReportService {

    protected static final TestTokens TOKENS = TestTokens.shared();
    protected static final AiProviderStandIn LLM = new AiProviderStandIn();
    private static final String STATE_DIRECTORY;

    static {
        try {
            STATE_DIRECTORY = Files.createTempDirectory("report-service-it-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TOKENS.properties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("sift.report.dashboard.state-directory", () -> STATE_DIRECTORY);
        registry.add("sift.ai.generation.base-url", LLM::baseUrl);
    }

    @Autowired
    protected Environment environment;

    protected WebTestClient http;

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + environment.getProperty("local.server.port", Integer.class))
                .responseTimeout(Duration.ofSeconds(30)).build();
    }
}
