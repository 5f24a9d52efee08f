package dev.sift.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.contracts.CloudEventHeaders;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.RealInfrastructure;
import dev.sift.testing.TestDatabase;
import dev.sift.testing.TopicRecords;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * The harness on real parts, end to end: an event published through the contracts serde and the
 * platform's observed template reaches a plain Kafka consumer with its CloudEvents headers and a W3C
 * {@code traceparent}; a Flyway migration runs against this run's fresh Postgres database.
 */
@RealInfrastructure
@SpringBootTest(classes = RealInfrastructureIT.HarnessApplication.class, properties = {
        "spring.application.name=harness",
        "spring.flyway.url=jdbc:${SIFT_DB_URL}",
        "spring.flyway.user=${SIFT_DB_USER}",
        "spring.flyway.password=${SIFT_DB_PASSWORD}",
        "spring.flyway.schemas=harness",
        "spring.flyway.locations=classpath:db/migration/harness",
        "spring.datasource.url=jdbc:${SIFT_DB_URL}",
        "spring.datasource.username=${SIFT_DB_USER}",
        "spring.datasource.password=${SIFT_DB_PASSWORD}"})
class RealInfrastructureIT {

    @SpringBootApplication
    static class HarnessApplication {
    }

    @Autowired
    EventPublisher publisher;

    @Autowired
    Environment environment;

    @Test
    void publishedEventReachesAConsumerWithCloudEventsAndTraceHeaders() {
        String organization = UUID.randomUUID().toString();
        FeedbackSubmitted event = new FeedbackSubmitted(UUID.randomUUID().toString(), organization,
                UUID.randomUUID().toString(), null, "The labs were great", Instant.now().truncatedTo(ChronoUnit.MILLIS));

        var ack = publisher.publish(Topics.FEEDBACK_SUBMITTED, organization, event).block(Duration.ofSeconds(30));
        assertThat(ack).isNotNull();

        ConsumerRecord<String, byte[]> received = TopicRecords.withKey(Topics.FEEDBACK_SUBMITTED.name(), organization, 1).getFirst();
        assertThat(Topics.FEEDBACK_SUBMITTED.valueSerde().fromJson(received.value())).isEqualTo(event);
        assertThat(header(received, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(received, "ce_type")).isEqualTo("dev.sift.feedback.submitted.v1");
        assertThat(header(received, "ce_source")).isEqualTo("/sift/harness");
        assertThat(header(received, "ce_time")).isEqualTo(event.submittedAt().toString());
        assertThat(header(received, "content-type")).isEqualTo("application/json");
        assertThat(header(received, "traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    }

    @Test
    void aPublishChainedOntoAnotherDoesNotRunOnTheProducersNetworkThread() {
        // The second topic's metadata is not cached by this producer yet: sending it from the producer's network
        // thread (where the first send's future completes) would block that thread until max.block.ms (60 s).
        String organization = UUID.randomUUID().toString();
        String instructor = "instructor-" + UUID.randomUUID();
        FeedbackSubmitted first = new FeedbackSubmitted(UUID.randomUUID().toString(), organization,
                UUID.randomUUID().toString(), null, "First of two", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        dev.sift.contracts.lecture.ReviewPosted second = new dev.sift.contracts.lecture.ReviewPosted(
                UUID.randomUUID().toString(), instructor, "lecture-1", 5, "Second of two",
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        java.util.concurrent.atomic.AtomicReference<String> continuedOn = new java.util.concurrent.atomic.AtomicReference<>();

        var ack = publisher.publish(Topics.FEEDBACK_SUBMITTED, organization, first)
                .doOnNext(result -> continuedOn.set(Thread.currentThread().getName()))
                .then(publisher.publish(Topics.LECTURE_REVIEW, instructor, second))
                .block(Duration.ofSeconds(20));

        assertThat(ack).isNotNull();
        assertThat(continuedOn.get()).doesNotContain("kafka-producer-network-thread");
    }

    @Test
    void pointsTheContextAtTheSharedBrokerAndThisRunsDatabase() {
        assertThat(environment.getProperty("spring.kafka.bootstrap-servers"))
                .isEqualTo(KafkaTestBroker.bootstrapServers());
        assertThat(environment.getProperty("SIFT_DB_URL")).isEqualTo(TestDatabase.get().url()).contains("/sift_it_");
    }

    @Test
    void flywayMigratedTheRealPostgres() throws Exception {
        try (Connection connection = TestDatabase.get().connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO harness.harness_probe (id, note) VALUES (gen_random_uuid(), 'written')");
            try (ResultSet rows = statement.executeQuery(
                    "SELECT version, success FROM harness.flyway_schema_history WHERE version = '1'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getBoolean("success")).isTrue();
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM harness.harness_probe")) {
                rows.next();
                assertThat(rows.getInt(1)).isPositive();
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return CloudEventHeaders.read(record.headers(), name).orElseThrow(() -> new AssertionError("no header " + name));
    }
}
