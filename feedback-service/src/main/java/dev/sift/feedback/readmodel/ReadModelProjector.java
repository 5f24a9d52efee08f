package dev.sift.feedback.readmodel;

import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.ClusterLabeled;
import dev.sift.contracts.feedback.FeedbackClustered;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Materialises the three feedback topics into Postgres. One poll's records are written in one
 * transaction with pipelined upserts; offsets are committed after it, so a crash replays the poll and
 * the upserts make the replay harmless. A value that does not parse goes to {@code <topic>-dlt} with
 * its reason and does not hold up the others.
 */
@Component
class ReadModelProjector {

    private static final Logger log = LoggerFactory.getLogger(ReadModelProjector.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private static final String INSERT_FEEDBACK = """
            INSERT INTO feedback (id, organization_id, author_id, lecture_id, text, submitted_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (id) DO NOTHING""";

    private static final String UPSERT_ASSIGNMENT = """
            INSERT INTO feedback_assignment (feedback_id, organization_id, cluster_id, similarity, batch_id, clustered_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (feedback_id) DO UPDATE SET cluster_id = EXCLUDED.cluster_id,
                similarity = EXCLUDED.similarity, batch_id = EXCLUDED.batch_id, clustered_at = EXCLUDED.clustered_at
            WHERE feedback_assignment.clustered_at <= EXCLUDED.clustered_at""";

    // Last writer by updatedAt wins, so an old label replayed from a retry topic cannot undo a newer one.
    private static final String UPSERT_CLUSTER = """
            INSERT INTO cluster (id, organization_id, label, size, sample_feedback_ids, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (id) DO UPDATE SET label = EXCLUDED.label, size = EXCLUDED.size,
                sample_feedback_ids = EXCLUDED.sample_feedback_ids, updated_at = EXCLUDED.updated_at
            WHERE cluster.updated_at <= EXCLUDED.updated_at""";

    private final ConnectionFactory connections;
    private final DeadLetterPublishingRecoverer deadLetters;

    ReadModelProjector(ConnectionFactory connections, DeadLetterPublishingRecoverer deadLetters) {
        this.connections = connections;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = "feedback-read-model", batch = "true", topics = {"sift.feedback.submitted.v1",
            "sift.feedback.clustered.v1", "sift.cluster.labeled.v1"})
    void project(List<ConsumerRecord<String, byte[]>> records) {
        List<FeedbackSubmitted> submitted = new ArrayList<>();
        List<FeedbackClustered> clustered = new ArrayList<>();
        List<ClusterLabeled> labeled = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                if (record.value() == null) {
                    throw new SerializationException("empty value");
                }
                switch (record.topic()) {
                    case "sift.feedback.submitted.v1" ->
                            submitted.add(Topics.FEEDBACK_SUBMITTED.valueSerde().fromJson(record.value()));
                    case "sift.feedback.clustered.v1" ->
                            clustered.add(Topics.FEEDBACK_CLUSTERED.valueSerde().fromJson(record.value()));
                    case "sift.cluster.labeled.v1" ->
                            labeled.add(Topics.CLUSTER_LABELED.valueSerde().fromJson(record.value()));
                    default -> throw new IllegalStateException("not subscribed to " + record.topic());
                }
            } catch (SerializationException | IllegalArgumentException e) {
                log.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
                deadLetters.accept(record, e);
            }
        }
        write(submitted, clustered, labeled).block(WRITE_TIMEOUT);
    }

    private Mono<Void> write(List<FeedbackSubmitted> submitted, List<FeedbackClustered> clustered,
            List<ClusterLabeled> labeled) {
        if (submitted.isEmpty() && clustered.isEmpty() && labeled.isEmpty()) {
            return Mono.empty();
        }
        return Mono.usingWhen(connections.create(),
                connection -> Mono.from(connection.beginTransaction())
                        .then(execute(connection, INSERT_FEEDBACK, submitted, ReadModelProjector::bindFeedback))
                        .then(execute(connection, UPSERT_ASSIGNMENT, clustered, ReadModelProjector::bindAssignment))
                        .then(execute(connection, UPSERT_CLUSTER, labeled, ReadModelProjector::bindCluster))
                        .then(Mono.from(connection.commitTransaction())),
                Connection::close,
                (connection, error) -> Mono.from(connection.rollbackTransaction()).then(Mono.from(connection.close())),
                Connection::close);
    }

    /** Binds every row into one statement; R2DBC sends the bindings pipelined in one round trip. */
    private static <T> Mono<Void> execute(Connection connection, String sql, List<T> rows, Binder<T> binder) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        Statement statement = connection.createStatement(sql);
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                statement.add();
            }
            binder.bind(statement, rows.get(i));
        }
        return Flux.from(statement.execute()).flatMap(result -> result.getRowsUpdated()).then();
    }

    private static void bindFeedback(Statement statement, FeedbackSubmitted event) {
        statement.bind("$1", UUID.fromString(event.feedbackId()))
                .bind("$2", event.organizationId())
                .bind("$3", event.authorId());
        if (event.lectureId() == null) {
            statement.bindNull("$4", String.class);
        } else {
            statement.bind("$4", event.lectureId());
        }
        statement.bind("$5", event.text()).bind("$6", OffsetDateTime.ofInstant(event.submittedAt(), ZoneOffset.UTC));
    }

    private static void bindAssignment(Statement statement, FeedbackClustered event) {
        statement.bind("$1", UUID.fromString(event.feedbackId()))
                .bind("$2", event.organizationId())
                .bind("$3", UUID.fromString(event.clusterId()))
                .bind("$4", event.similarity())
                .bind("$5", event.batchId())
                .bind("$6", OffsetDateTime.ofInstant(event.clusteredAt(), ZoneOffset.UTC));
    }

    private static void bindCluster(Statement statement, ClusterLabeled event) {
        statement.bind("$1", UUID.fromString(event.clusterId()))
                .bind("$2", event.organizationId())
                .bind("$3", event.label())
                .bind("$4", event.size())
                .bind("$5", event.sampleFeedbackIds().stream().map(UUID::fromString).toArray(UUID[]::new))
                .bind("$6", OffsetDateTime.ofInstant(event.updatedAt(), ZoneOffset.UTC));
    }

    @FunctionalInterface
    private interface Binder<T> {
        void bind(Statement statement, T row);
    }
}
