package dev.sift.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.ClusterLabeled;
import dev.sift.contracts.feedback.FeedbackClustered;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.RealInfrastructure;
import dev.sift.testing.TestTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Issue 4's "no blocking call on a request thread", checked by BlockHound on the real broker and Postgres.
 *
 * <p>BlockHound is installed before the application starts and reports every blocking JDK call (sleep, wait,
 * park, file and socket I/O) made on a thread marked non-blocking: Netty's event loops (the server's, which
 * serve every request, and the R2DBC driver's, on which a query's continuation runs) and Reactor's parallel
 * scheduler, on which a publish resumes after Kafka's acknowledgement. A caught call is recorded here and then thrown as usual, so it shows twice: as a
 * failed request (a 500, or a status the test did not expect) and in {@link #CAUGHT}, which must be empty after
 * every test, also when the error was swallowed on the way.
 *
 * <p>The requests run in a fixed order, so the first {@code POST} meets a cold Kafka producer (created, and the
 * topic's metadata fetched, on that request): lazy set-up on the first request is on the request path too.
 * Result events are written with a producer of this test's own, not the application's, to leave it cold.
 */
@RealInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.consumer.group-id=feedback-blockhound-it")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeedbackBlockHoundIT {

    static final TestTokens TOKENS = TestTokens.shared();
    static final String CANARY_PATH = "/test/blocking-canary";

    /** Every blocking call BlockHound caught, with the thread it was caught on. */
    static final List<Caught> CAUGHT = new CopyOnWriteArrayList<>();

    record Caught(String thread, BlockingOperationError error) {

        @Override
        public String toString() {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            return "on " + thread + ": " + trace;
        }
    }

    static {
        // Static, so it runs before the Spring context starts: BlockHound is global and installed once per JVM.
        BlockHound.builder()
                // The integrations on the class path, each allowing only its library's own internals: BlockHound's
                // (threads marked with Reactor's NonBlocking are checked; Logback's Logger.callAppenders and
                // System.out/err are allowed, so a log line written on a request thread is not reported: console
                // logging is the operator's choice, an async appender where it matters), reactor-core's (its
                // schedulers' own queues), Netty's (its event loops are checked) and Spring Framework's.
                .loadIntegrations()
                // UUID.randomUUID() (the id of every accepted feedback) draws from the JDK's NativePRNG, which
                // refills a 32-byte buffer from /dev/urandom: a read of the kernel's CSPRNG, which on Linux never
                // waits once it was seeded at boot. BlockHound flags it only because it is a FileInputStream read;
                // it waits on no disk and no peer.
                .allowBlockingCallsInside("java.util.UUID", "randomUUID")
                .blockingMethodCallback(method -> {
                    BlockingOperationError error = new BlockingOperationError(method);
                    CAUGHT.add(new Caught(Thread.currentThread().getName(), error));
                    throw error;
                })
                .install();
    }

    @DynamicPropertySource
    static void trustTestTokens(DynamicPropertyRegistry registry) {
        TOKENS.properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** A route that blocks on purpose, to show the server's request threads are the ones being watched. */
    @TestConfiguration(proxyBeanMethods = false)
    static class BlockingCanary {

        @Bean
        RouterFunction<ServerResponse> blockingCanaryRoute() {
            return RouterFunctions.route(RequestPredicates.GET(CANARY_PATH), request -> {
                sleepOneMillisecond();
                return ServerResponse.ok().bodyValue(Thread.currentThread().getName());
            });
        }
    }

    static KafkaProducer<String, byte[]> resultEvents;

    @Autowired
    Environment environment;

    @Autowired
    EventPublisher publisher;

    WebTestClient http;
    String organization;
    String member;
    String memberToken;

    @BeforeAll
    static void ownProducer() {
        resultEvents = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void closeProducer() {
        resultEvents.close();
    }

    @BeforeEach
    void newOrganization() {
        // The JDK's HTTP client, not Reactor Netty's: this test's client must not run on the event loops under
        // watch, or what it does there (its response decompressor's first use reads a native library from a jar)
        // would be blamed on the service.
        http = WebTestClient.bindToServer(new JdkClientHttpConnector())
                .baseUrl("http://127.0.0.1:" + environment.getProperty("local.server.port", Integer.class))
                .responseTimeout(Duration.ofSeconds(30)).build();
        organization = UUID.randomUUID().toString();
        member = UUID.randomUUID().toString();
        memberToken = TOKENS.mint(member, organization, "MEMBER");
    }

    @AfterEach
    void nothingBlocked() {
        try {
            assertThat(CAUGHT).as(() -> "blocking calls on non-blocking threads:\n"
                    + CAUGHT.stream().map(Caught::toString).collect(Collectors.joining("\n"))).isEmpty();
        } finally {
            CAUGHT.clear();
        }
    }

    @Test
    @Order(1)
    void blockHoundCatchesABlockingCallOnReactorsThreadsAndOnTheServersRequestThreads() {
        // A blocking thread (this test's) may block: nothing is caught, so the checks are not on everywhere.
        sleepOneMillisecond();
        assertThat(CAUGHT).isEmpty();

        assertThatThrownBy(() -> Mono.fromRunnable(FeedbackBlockHoundIT::sleepOneMillisecond)
                .subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10)))
                .satisfies(e -> assertThat(Exceptions.unwrap(e)).isInstanceOf(BlockingOperationError.class));
        assertThat(CAUGHT).singleElement().satisfies(caught -> {
            assertThat(caught.thread()).startsWith("parallel-");
            assertThat(caught.error().getMethod().getClassName()).isEqualTo("java.lang.Thread");
            assertThat(caught.error().getMethod().getName()).startsWith("sleep");
        });
        CAUGHT.clear();

        // The same call in a request handler: the thread that serves /api/** too is watched, and it is a 500.
        http.get().uri(CANARY_PATH).header(HttpHeaders.AUTHORIZATION, "Bearer " + memberToken).exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(CAUGHT).singleElement().satisfies(caught -> {
            // Spring Boot names the reactive server's event loops so (the R2DBC driver's are reactor-tcp-*).
            assertThat(caught.thread()).startsWith("webflux-http-");
            assertThat(caught.error().getMethod().getName()).startsWith("sleep");
        });
        CAUGHT.clear();
    }

    @Test
    @Order(2)
    void postingWithoutAKeyAndReadingItBackDoNotBlock() {
        // The first POST of this JVM: the application's producer has no metadata of the topic yet.
        String id = (String) post(memberToken, null, "{\"text\":\"The labs were too long\",\"lectureId\":\"l-7\"}")
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> get(memberToken, "/api/feedback/" + id)
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("PENDING")
                .jsonPath("$.text").isEqualTo("The labs were too long"));
    }

    @Test
    @Order(3)
    void postingWithAnIdempotencyKeyDoesNotBlock() {
        String key = "blockhound-" + UUID.randomUUID();
        String body = "{\"text\":\"Please share the slides\"}";
        String first = (String) post(memberToken, key, body).expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        // The repeat is answered from Postgres without publishing; another body under the key is a conflict.
        String again = (String) post(memberToken, key, body).expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        assertThat(again).isEqualTo(first);
        post(memberToken, key, "{\"text\":\"Something else\"}").expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @Order(4)
    void readingClustersAndTheirMembersDoesNotBlock() throws Exception {
        FeedbackSubmitted first = submitted("Too fast in week 3");
        FeedbackSubmitted second = submitted("Week 3 went way too fast");
        String cluster = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(publisher.record(Topics.FEEDBACK_SUBMITTED, organization, first));
        send(publisher.record(Topics.FEEDBACK_SUBMITTED, organization, second));
        for (FeedbackSubmitted feedback : List.of(first, second)) {
            send(publisher.record(Topics.FEEDBACK_CLUSTERED, organization,
                    new FeedbackClustered(feedback.feedbackId(), organization, cluster, 0.9, "b1", now)));
        }
        send(publisher.record(Topics.CLUSTER_LABELED, organization,
                new ClusterLabeled(cluster, organization, "Pace too fast", 2, List.of(first.feedbackId()), now)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> get(memberToken, "/api/clusters?limit=10")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.clusters.length()").isEqualTo(1)
                .jsonPath("$.clusters[0].id").isEqualTo(cluster)
                .jsonPath("$.clusters[0].samples[0]").isEqualTo("Too fast in week 3"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> get(memberToken,
                "/api/clusters/" + cluster + "/feedback?page=0&size=1")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].status").isEqualTo("CLUSTERED"));
        get(memberToken, "/api/feedback/" + first.feedbackId()).expectStatus().isOk()
                .expectBody().jsonPath("$.clusterId").isEqualTo(cluster);
    }

    @Test
    @Order(5)
    void everyErrorPathAnswersItsStatusWithoutBlocking() throws Exception {
        post(memberToken, null, "{\"lectureId\":\"l\"}").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("text");
        post(memberToken, null, "{not json").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(memberToken, "k".repeat(256), "{\"text\":\"ok\"}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
        get(memberToken, "/api/clusters?limit=0").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(memberToken, null, "{\"text\":\"" + "x".repeat(70 * 1024) + "\"}")
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/api/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + memberToken)
                .contentType(MediaType.TEXT_PLAIN).bodyValue("text").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        http.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"no token\"}")
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post("not.a.token", null, "{\"text\":\"bad token\"}").expectStatus().isUnauthorized();
        post(TOKENS.token().subject(member).organization(organization).expiresAt(Instant.now().minusSeconds(600)).sign(),
                null, "{\"text\":\"expired token\"}").expectStatus().isUnauthorized();
        post(TOKENS.mint(member, organization, "GUEST"), null, "{\"text\":\"guests may not\"}")
                .expectStatus().isForbidden();

        FeedbackSubmitted theirs = new FeedbackSubmitted(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "someone", null, "Not yours", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        send(publisher.record(Topics.FEEDBACK_SUBMITTED, theirs.organizationId(), theirs));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> get(memberToken, "/api/feedback/" + theirs.feedbackId())
                .expectStatus().isForbidden().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        get(memberToken, "/api/feedback/" + UUID.randomUUID()).expectStatus().isNotFound();
        get(memberToken, "/api/clusters/" + UUID.randomUUID() + "/feedback").expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec post(String token, String idempotencyKey, String body) {
        var request = http.post().uri("/api/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String token, String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private FeedbackSubmitted submitted(String text) {
        return new FeedbackSubmitted(UUID.randomUUID().toString(), organization, member, null, text,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** Sends what the application's publisher would, but through this test's producer (see the class comment). */
    private static void send(ProducerRecord<String, byte[]> record) throws Exception {
        resultEvents.send(record).get();
    }

    static void sleepOneMillisecond() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
