package dev.sift.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.CloudEventHeaders;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.ClusterLabeled;
import dev.sift.contracts.feedback.FeedbackClustered;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.kafka.EventPublisher;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.RealInfrastructure;
import dev.sift.testing.TestDatabase;
import dev.sift.testing.TestTokens;
import dev.sift.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * feedback-service on the real broker and Postgres: intake to topic, the read model from all three
 * topics, idempotency across two running instances, organisation isolation, every bad input's 4xx.
 */
@RealInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.kafka.consumer.group-id=feedback-it")
class FeedbackServiceIT {

    static final TestTokens TOKENS = TestTokens.shared();

    @DynamicPropertySource
    static void trustTestTokens(DynamicPropertyRegistry registry) {
        TOKENS.properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @Autowired
    Environment environment;

    @Autowired
    EventPublisher publisher;

    @Autowired
    dev.sift.feedback.intake.IdempotencyKeyPurge purge;

    WebTestClient http;
    String organization;
    String member;
    String memberToken;

    @BeforeEach
    void newOrganization() {
        http = client(environment.getProperty("local.server.port", Integer.class));
        organization = UUID.randomUUID().toString();
        member = UUID.randomUUID().toString();
        memberToken = TOKENS.mint(member, organization, "MEMBER");
    }

    @Test
    void acceptsFeedbackPublishesItAndShowsItInTheReadModel() {
        var answer = post(http, memberToken, null, "{\"text\":\"  The labs were too long \",\"lectureId\":\"l-7\"}")
                .expectStatus().isAccepted()
                .expectHeader().valueMatches(HttpHeaders.LOCATION, "/api/feedback/[0-9a-f-]{36}")
                .expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) answer.get("id");
        assertThat(answer.get("status")).isEqualTo("ACCEPTED");

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.withKey(Topics.FEEDBACK_SUBMITTED.name(), organization, 1);
        FeedbackSubmitted event = Topics.FEEDBACK_SUBMITTED.valueSerde().fromJson(records.getFirst().value());
        assertThat(event.feedbackId()).isEqualTo(id);
        assertThat(event.authorId()).isEqualTo(member);
        assertThat(event.text()).isEqualTo("The labs were too long");
        assertThat(event.lectureId()).isEqualTo("l-7");
        assertThat(CloudEventHeaders.read(records.getFirst().headers(), "ce_type"))
                .contains("dev.sift.feedback.submitted.v1");
        assertThat(CloudEventHeaders.read(records.getFirst().headers(), "ce_source")).contains("/sift/feedback-service");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> http.get().uri("/api/feedback/" + id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + memberToken).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.organizationId").isEqualTo(organization)
                .jsonPath("$.text").isEqualTo("The labs were too long")
                .jsonPath("$.status").isEqualTo("PENDING"));
    }

    @Test
    void resultEventsMakeClustersVisibleLargestFirst() {
        FeedbackSubmitted first = submitted("Too fast in week 3");
        FeedbackSubmitted second = submitted("Week 3 went way too fast");
        FeedbackSubmitted third = submitted("Great examples");
        String pace = UUID.randomUUID().toString();
        String examples = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publishAll(first, second, third);
        publish(new FeedbackClustered(first.feedbackId(), organization, pace, 0.91, "b1", now));
        publish(new FeedbackClustered(second.feedbackId(), organization, pace, 0.87, "b1", now));
        publish(new FeedbackClustered(third.feedbackId(), organization, examples, 1.0, "b1", now));
        publish(new ClusterLabeled(pace, organization, "Pace too fast", 2, List.of(first.feedbackId()), now));
        publish(new ClusterLabeled(examples, organization, "Good examples", 1, List.of(third.feedbackId()), now));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> http.get().uri("/api/clusters?limit=10")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + memberToken).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.clusters.length()").isEqualTo(2)
                .jsonPath("$.clusters[0].id").isEqualTo(pace)
                .jsonPath("$.clusters[0].label").isEqualTo("Pace too fast")
                .jsonPath("$.clusters[0].size").isEqualTo(2)
                .jsonPath("$.clusters[0].samples[0]").isEqualTo("Too fast in week 3")
                .jsonPath("$.clusters[1].id").isEqualTo(examples));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> http.get()
                .uri("/api/clusters/" + pace + "/feedback?page=0&size=1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + memberToken).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.size").isEqualTo(1)
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].status").isEqualTo("CLUSTERED")
                .jsonPath("$.items[0].clusterId").isEqualTo(pace));
    }

    @Test
    void duplicateDeliveryOfEveryTopicLeavesOneRow() throws Exception {
        FeedbackSubmitted feedback = submitted("Duplicated feedback");
        String cluster = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        FeedbackClustered clustered = new FeedbackClustered(feedback.feedbackId(), organization, cluster, 0.8, "b", now);
        ClusterLabeled labeled = new ClusterLabeled(cluster, organization, "Dup", 1, List.of(feedback.feedbackId()), now);
        for (int i = 0; i < 3; i++) {
            publishAll(feedback);
            publish(clustered);
            publish(labeled);
        }
        // An older label redelivered after a newer one must not win.
        publish(new ClusterLabeled(cluster, organization, "Newer", 1, List.of(feedback.feedbackId()), now.plusSeconds(5)));
        publish(labeled);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM feedback.feedback WHERE organization_id = ?")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM feedback.feedback_assignment WHERE organization_id = ?")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM feedback.cluster WHERE organization_id = ? AND label = 'Newer'"))
                    .isEqualTo(1);
        });
        assertThat(count("SELECT count(*) FROM feedback.cluster WHERE organization_id = ?")).isEqualTo(1);
    }

    @Test
    void expiredIdempotencyKeysArePurgedAndLiveOnesKept() throws Exception {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO feedback.idempotency_key (subject, key, request_hash, feedback_id, state, created_at)
                VALUES (?, ?, 'h', gen_random_uuid(), 'ACCEPTED', now() - ?::interval)""")) {
            for (String[] row : new String[][] {{"expired-1", "25 hours"}, {"expired-2", "30 days"}, {"live", "23 hours"}}) {
                insert.setString(1, organization); // the subject column; this test's own value isolates its rows
                insert.setString(2, row[0]);
                insert.setString(3, row[1]);
                insert.executeUpdate();
            }
        }

        purge.purgeExpired().block(Duration.ofSeconds(10));

        assertThat(count("SELECT count(*) FROM feedback.idempotency_key WHERE subject = ? AND key LIKE 'expired-%'")).isZero();
        assertThat(count("SELECT count(*) FROM feedback.idempotency_key WHERE subject = ? AND key = 'live'")).isEqualTo(1);
    }

    @Test
    void aValueThatDoesNotParseGoesToTheDeadLetterTopicAndDoesNotBlockOthers() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                KafkaTestBroker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.FEEDBACK_SUBMITTED.name(), organization,
                    "{\"feedbackId\":\"not complete\"}".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        FeedbackSubmitted good = submitted("After the poison record");
        publishAll(good);

        List<ConsumerRecord<String, byte[]>> dead = TopicRecords.withKey(Topics.FEEDBACK_SUBMITTED.deadLetterTopic(), organization, 1);
        assertThat(CloudEventHeaders.read(dead.getFirst().headers(), "kafka_original-topic"))
                .contains(Topics.FEEDBACK_SUBMITTED.name());
        assertThat(CloudEventHeaders.read(dead.getFirst().headers(), "kafka_exception-message"))
                .hasValueSatisfying(message -> assertThat(message).contains("dev.sift.feedback.submitted.v1"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM feedback.feedback WHERE organization_id = ?")).isEqualTo(1));
    }

    @Test
    void sameIdempotencyKeyReturnsTheFirstAnswerAcrossTwoInstancesAndPublishesOnce() {
        Map<String, Object> settings = new java.util.LinkedHashMap<>(TOKENS.properties());
        settings.put("SIFT_KAFKA_BOOTSTRAP", KafkaTestBroker.bootstrapServers());
        settings.put("SIFT_DB_URL", TestDatabase.get().url());
        settings.put("SIFT_DB_USER", TestDatabase.get().user());
        settings.put("SIFT_DB_PASSWORD", TestDatabase.get().password());
        settings.put("spring.kafka.listener.auto-startup", "false");
        // The port as an argument: feedback-service.properties (config data) outranks builder properties and says 8081.
        try (ConfigurableApplicationContext second = FeedbackServiceApplication.builder().properties(settings)
                .run("--server.port=0")) {
            WebTestClient other = client(second.getEnvironment().getProperty("local.server.port", Integer.class));
            String body = "{\"text\":\"Please share the slides\"}";
            String key = "retry-" + UUID.randomUUID();

            String first = (String) post(http, memberToken, key, body).expectStatus().isAccepted()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id");
            String again = (String) post(other, memberToken, key, body).expectStatus().isAccepted()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id");
            String third = (String) post(http, memberToken, key, body).expectStatus().isAccepted()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id");

            assertThat(again).isEqualTo(first);
            assertThat(third).isEqualTo(first);
            post(other, memberToken, key, "{\"text\":\"A different request\"}").expectStatus().isEqualTo(HttpStatus.CONFLICT)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            // Another subject's identical key is its own.
            String otherMember = TOKENS.mint(UUID.randomUUID().toString(), organization, "MEMBER");
            String theirs = (String) post(other, otherMember, key, body).expectStatus().isAccepted()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id");
            assertThat(theirs).isNotEqualTo(first);

            assertThat(TopicRecords.withKey(Topics.FEEDBACK_SUBMITTED.name(), organization, 2))
                    .extracting(record -> Topics.FEEDBACK_SUBMITTED.valueSerde().fromJson(record.value()).feedbackId())
                    .containsExactlyInAnyOrder(first, theirs);
        }
    }

    @Test
    void anotherOrganisationsFeedbackIsForbiddenAndUnknownIdsAreNotFound() {
        FeedbackSubmitted theirs = new FeedbackSubmitted(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "someone", null, "Not yours", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        publisher.publish(Topics.FEEDBACK_SUBMITTED, theirs.organizationId(), theirs).block(Duration.ofSeconds(10));
        String theirCluster = UUID.randomUUID().toString();
        publish(new ClusterLabeled(theirCluster, theirs.organizationId(), "Theirs", 1, List.of(theirs.feedbackId()),
                Instant.now()));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> get("/api/feedback/" + theirs.feedbackId())
                .expectStatus().isForbidden().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> get("/api/clusters/" + theirCluster + "/feedback")
                .expectStatus().isForbidden());
        get("/api/feedback/" + UUID.randomUUID()).expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        get("/api/clusters/" + UUID.randomUUID() + "/feedback").expectStatus().isNotFound();
        get("/api/clusters").expectStatus().isOk().expectBody().jsonPath("$.clusters.length()").isEqualTo(0);
    }

    @Test
    void everyBadInputGetsItsProblemAndNothingIsPublished() {
        post(http, memberToken, null, "{\"lectureId\":\"l\"}").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("text")
                .jsonPath("$.type").isEqualTo("https://sift.dev/problems/invalid-request");
        post(http, memberToken, null, "{\"text\":\"   \"}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("text");
        post(http, memberToken, null, "{\"text\":\"" + "x".repeat(2001) + "\"}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("text");
        post(http, memberToken, null, "{\"text\":\"ok\",\"lectureId\":\"" + "l".repeat(65) + "\"}")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("lectureId");
        post(http, memberToken, null, "{not json").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(http, memberToken, null, "{\"text\":\"" + "x".repeat(70 * 1024) + "\"}")
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/api/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + memberToken)
                .contentType(MediaType.TEXT_PLAIN).bodyValue("text").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(http, TOKENS.mint(member, organization, "GUEST"), null, "{\"text\":\"guests may not\"}")
                .expectStatus().isForbidden();
        http.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"no token\"}")
                .exchange().expectStatus().isUnauthorized();

        // A valid one afterwards: it must be the only record of this organisation on the topic.
        post(http, memberToken, null, "{\"text\":\"the only valid one\"}").expectStatus().isAccepted();
        assertThat(TopicRecords.withKey(Topics.FEEDBACK_SUBMITTED.name(), organization, 1)).hasSize(1);
    }

    private WebTestClient.ResponseSpec post(WebTestClient client, String token, String idempotencyKey, String body) {
        var request = client.post().uri("/api/feedback").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + memberToken).exchange();
    }

    private static WebTestClient client(Integer port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    private FeedbackSubmitted submitted(String text) {
        return new FeedbackSubmitted(UUID.randomUUID().toString(), organization, member, null, text,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private void publishAll(FeedbackSubmitted... events) {
        for (FeedbackSubmitted event : events) {
            publisher.publish(Topics.FEEDBACK_SUBMITTED, organization, event).block(Duration.ofSeconds(10));
        }
    }

    private void publish(FeedbackClustered event) {
        publisher.publish(Topics.FEEDBACK_CLUSTERED, event.organizationId(), event).block(Duration.ofSeconds(10));
    }

    private void publish(ClusterLabeled event) {
        publisher.publish(Topics.CLUSTER_LABELED, event.organizationId(), event).block(Duration.ofSeconds(10));
    }

    private long count(String sql) throws Exception {
        try (Connection connection = TestDatabase.get().connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, organization);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
