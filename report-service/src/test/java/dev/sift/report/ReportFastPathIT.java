package dev.sift.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.ReviewPosted;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.TestTokens;
import dev.sift.testing.TopicRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Flux;

/**
 * The fast path of {@code GET /api/instructors/{id}/report} ({@code ReportFastPath}) against the regular path, on
 * the real service: what it answers (status, every header, the body's bytes) is what the security chain and the
 * controller answer for the same request, it answers only from what is already known, and every refusal is still
 * the chain's own. A query string makes a request take the regular path (the fast path leaves any query alone) and
 * the controller ignores it, so {@code ?via=chain} asks the regular path for the very same answer.
 */
class ReportFastPathIT extends RealReportService {

    @Autowired
    EventPublisher publisher;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DatabaseClient db;

    String instructor;
    String token;

    @BeforeEach
    void instructorWithAReview() {
        LLM.reset();
        instructor = "instructor-" + UUID.randomUUID();
        token = TOKENS.mint(instructor, UUID.randomUUID().toString(), "INSTRUCTOR");
        publisher.publish(Topics.LECTURE_REVIEW, instructor, new ReviewPosted("r-" + UUID.randomUUID(), instructor,
                "lecture-sql", 5, "Clear explanations", Instant.now().minusSeconds(60))).block(Duration.ofSeconds(30));
    }

    @AfterEach
    void letTheGenerationFinish() {
        // A generation still running would answer the stand-in during the next test, which counts its responses.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String status = db.sql("SELECT status FROM instructor_report WHERE instructor_id = :id").bind("id", instructor)
                    .map((row, meta) -> row.get(0, String.class)).one().blockOptional(Duration.ofSeconds(10)).orElse(null);
            return status == null || status.equals("COMPLETED");
        });
        LLM.reset();
    }

    @Test
    void runsBeforeSpringSecuritysFilterChain(@Autowired ObjectProvider<WebFilter> filters) {
        // The order in which WebFlux runs the filters (WebHttpHandlerBuilder takes them the same way).
        List<String> order = filters.orderedStream().map(filter -> filter.getClass().getSimpleName()).toList();
        assertThat(order).contains("ReportFastPath", WebFilterChainProxy.class.getSimpleName());
        assertThat(order.indexOf("ReportFastPath")).isLessThan(order.indexOf(WebFilterChainProxy.class.getSimpleName()));
    }

    @Test
    void answersWhatTheRegularPathAnswersWhileGeneratingAndOnceCompleted() {
        LLM.latency(Duration.ofSeconds(3));
        double generating = answers("202");
        double reports = answers("200");

        // Nothing is known yet: the regular path claims the report.
        Answer claimed = get("", token, null);
        assertThat(claimed.status()).isEqualTo(202);
        assertThat(answers("202")).isEqualTo(generating);

        // Moments later the GENERATING is known: the fast path answers it, exactly as the regular path does.
        Answer fast = get("", token, null);
        Answer regular = get("?via=chain", token, null);
        assertThat(answers("202")).isEqualTo(generating + 1);
        assertThat(fast.status()).isEqualTo(202);
        assertThat(fast.text()).isEqualTo("{\"status\":\"GENERATING\"}");
        assertThat(fast.headers()).containsEntry("retry-after", List.of("2"))
                .containsEntry("cache-control", List.of("no-cache, no-store, max-age=0, must-revalidate"))
                .containsEntry("x-content-type-options", List.of("nosniff"));
        assertSame(fast, regular);
        assertSame(fast, claimed);
        // Answered on the connection, below WebFlux, once the regular path's 202 had passed it.
        double onConnection = connectionAnswers();
        assertSame(get("", token, null), regular);
        assertThat(connectionAnswers()).isEqualTo(onConnection + 1);
        assertThat(answers("202")).isEqualTo(generating + 2);

        await().atMost(Duration.ofSeconds(30)).until(() -> get("?via=chain", token, null).status() == 200);
        Answer completedFast = get("", token, null);
        assertThat(answers("200")).isEqualTo(reports + 1);
        Answer completedRegular = get("?via=chain", token, null);
        assertThat(answers("200")).isEqualTo(reports + 1);
        assertThat(completedFast.status()).isEqualTo(200);
        assertThat(completedFast.text()).contains("\"instructorId\":\"" + instructor + "\"", "stand-in strengths 1");
        assertSame(completedFast, completedRegular);

        // An ADMIN, and the Accept headers the fast path takes, get the same bytes too.
        String admin = TOKENS.mint("admin-" + UUID.randomUUID(), UUID.randomUUID().toString(), "ADMIN");
        assertSame(get("", admin, null), completedRegular);
        assertSame(get("", token, "*/*"), get("?via=chain", token, "*/*"));
        assertSame(get("", token, MediaType.APPLICATION_JSON_VALUE),
                get("?via=chain", token, MediaType.APPLICATION_JSON_VALUE));
        assertThat(answers("200")).isEqualTo(reports + 4);
        assertThat(connectionAnswers()).isGreaterThanOrEqualTo(onConnection + 4);
        // Another Accept is the regular path's to answer (or refuse).
        double before = answers("200");
        Answer xml = get("", token, MediaType.APPLICATION_XML_VALUE);
        assertThat(answers("200")).isEqualTo(before);
        assertSame(xml, get("?via=chain", token, MediaType.APPLICATION_XML_VALUE));
        assertThat(LLM.responses()).hasSize(1);
    }

    @Test
    void refusalsAreTheSecurityChainsOwn() {
        // A completed report, so that any request the fast path took would be answered 200 from memory.
        LLM.latency(Duration.ZERO);
        get("", token, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("?via=chain", token, null).status() == 200);
        assertThat(get("", token, null).status()).isEqualTo(200);
        double before = answers("200") + answers("202");

        TestTokens stranger = TestTokens.generate();
        String org = UUID.randomUUID().toString();
        Map<String, @Nullable String> refused = new LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("malformed", "Bearer not a token");
        refused.put("lower-case scheme with an invalid token", "bearer x.y.z");
        refused.put("signed by an unknown key", "Bearer " + stranger.mint(instructor, org, "INSTRUCTOR"));
        refused.put("expired", "Bearer " + TOKENS.token().subject(instructor).organization(org).roles("INSTRUCTOR")
                .expiresAt(Instant.now().minusSeconds(3600)).sign());
        refused.put("another instructor", "Bearer " + TOKENS.mint("instructor-" + UUID.randomUUID(), org, "INSTRUCTOR"));
        refused.put("MEMBER", "Bearer " + TOKENS.mint(instructor, org, "MEMBER"));
        refused.put("GUEST", "Bearer " + TOKENS.mint(instructor, org, "GUEST"));
        refused.forEach((name, authorization) -> {
            Answer plain = getWith("", authorization);
            Answer regular = getWith("?via=chain", authorization);
            assertThat(plain.status()).as(name).isIn(401, 403);
            assertThat(plain.headers().get("content-type")).as(name).containsExactly(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(plain.text()).as(name).contains("\"status\":" + plain.status())
                    .contains("\"instance\":\"/api/instructors/" + instructor + "/report\"");
            assertSame(plain, regular);
        });
        assertThat(getWith("", null).headers()).containsKey("www-authenticate");
        assertThat(getWith("", "Bearer " + TOKENS.mint("instructor-" + UUID.randomUUID(), org, "INSTRUCTOR")).status())
                .isEqualTo(403);
        assertThat(answers("200") + answers("202")).isEqualTo(before);
    }

    @Test
    void aBurstOnAnUnknownReportSharesOneClaimAndTheFastPathAnswersFromIt() {
        LLM.latency(Duration.ofSeconds(3));
        // Another instructor's first request (no material: no model call), so that a regular 202 has passed the
        // connection layer and it may answer the burst's requests that wait for the shared claim.
        String other = "instructor-" + UUID.randomUUID();
        http.get().uri("/api/instructors/" + other + "/report")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKENS.mint(other, UUID.randomUUID().toString(), "INSTRUCTOR"))
                .exchange().expectStatus().isAccepted();
        double before = answers("202");
        double onConnection = connectionAnswers();
        WebClient client = WebClient.create("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        List<Answer> burst = Flux.range(0, 200)
                .flatMap(i -> client.get().uri("/api/instructors/{id}/report", instructor)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .exchangeToMono(response -> response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                                .map(body -> new Answer(response.statusCode().value(),
                                        lowerCase(response.headers().asHttpHeaders()), body))), 200)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(burst).hasSize(200).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(202));
        // All the same answer, whichever path gave it.
        burst.forEach(answer -> assertSame(answer, burst.getFirst()));
        assertThat(answers("202")).isGreaterThan(before);
        assertThat(connectionAnswers()).isGreaterThan(onConnection);
        assertThat(TopicRecords.withKey(Topics.REPORT_REQUESTED.name(), instructor, 1)).hasSize(1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndConnectionCloseIsTheRegularPaths() throws Exception {
        LLM.latency(Duration.ZERO);
        get("", token, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("?via=chain", token, null).status() == 200);
        String report = get("", token, null).text();
        int port = Integer.parseInt(environment.getProperty("local.server.port"));
        String path = "/api/instructors/" + instructor + "/report";
        String fast = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        String slow = "GET /api/instructors/" + instructor + "/dashboard HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + token + "\r\n\r\n";
        double before = connectionAnswers();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            // Three requests in one write: a report, a request only the regular path answers (the instructor's
            // dashboard, read from Postgres), and a report again, whose answer must come after the dashboard's.
            socket.getOutputStream().write((fast + slow + fast).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var in = new java.io.BufferedInputStream(socket.getInputStream());
            RawAnswer first = RawAnswer.read(in);
            RawAnswer second = RawAnswer.read(in);
            RawAnswer third = RawAnswer.read(in);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(report);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("\"revenue\"", "\"completionRate\"");
            assertThat(third.status()).isEqualTo(200);
            assertThat(third.body()).isEqualTo(report);
        }
        // The first was answered on the connection; the third came after a request the regular path was still
        // answering, so it went the regular way (WebFlux fast path).
        assertThat(connectionAnswers()).isEqualTo(before + 1);

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RawAnswer closing = RawAnswer.read(new java.io.BufferedInputStream(socket.getInputStream()));
            assertThat(closing.status()).isEqualTo(200);
            assertThat(closing.body()).isEqualTo(report);
            assertThat(closing.headers()).containsEntry("connection", "close");
        }
        assertThat(connectionAnswers()).isEqualTo(before + 1);
    }

    /** One HTTP/1.1 answer with a Content-Length body, read off a raw socket. */
    record RawAnswer(int status, Map<String, String> headers, String body) {
        static RawAnswer read(java.io.InputStream in) throws java.io.IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new TreeMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new RawAnswer(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(java.io.InputStream in) throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("connection closed after: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    private double connectionAnswers() {
        Counter counter = meters.find("sift.report.fast.path.connection.answers").counter();
        return counter == null ? 0 : counter.count();
    }

    private double answers(String status) {
        Counter counter = meters.find("sift.report.fast.path.answers").tag("status", status).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Status, every header (names in lower case) and the body's bytes. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static void assertSame(Answer actual, Answer expected) {
        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.headers()).isEqualTo(expected.headers());
        assertThat(actual.text()).isEqualTo(expected.text());
    }

    private Answer get(String query, String bearer, @Nullable String accept) {
        return exchange(query, "Bearer " + bearer, accept);
    }

    private Answer getWith(String query, @Nullable String authorization) {
        return exchange(query, authorization, null);
    }

    private Answer exchange(String query, @Nullable String authorization, @Nullable String accept) {
        WebTestClient.RequestHeadersSpec<?> request = http.get().uri("/api/instructors/" + instructor + "/report" + query);
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (accept != null) {
            request = request.header(HttpHeaders.ACCEPT, accept);
        }
        EntityExchangeResult<byte[]> result = request.exchange().expectBody().returnResult();
        byte[] body = result.getResponseBody();
        return new Answer(result.getStatus().value(), lowerCase(result.getResponseHeaders()), body == null ? new byte[0] : body);
    }

    private static Map<String, List<String>> lowerCase(HttpHeaders headers) {
        Map<String, List<String>> byName = new TreeMap<>();
        headers.forEach((name, values) -> byName.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return byName;
    }
}
