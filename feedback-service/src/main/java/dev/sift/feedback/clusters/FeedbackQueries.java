package dev.sift.feedback.clusters;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Read-only queries over the read model; every query that lists is bounded by the caller's organisation. */
@Repository
class FeedbackQueries {

    private static final String FEEDBACK_COLUMNS = """
            f.id, f.organization_id, f.text, f.lecture_id, f.submitted_at, a.cluster_id
            FROM feedback f LEFT JOIN feedback_assignment a ON a.feedback_id = f.id""";

    private final DatabaseClient db;

    FeedbackQueries(DatabaseClient db) {
        this.db = db;
    }

    Mono<FeedbackView> feedback(UUID id) {
        return db.sql("SELECT " + FEEDBACK_COLUMNS + "\nWHERE f.id = :id").bind("id", id)
                .map((row, meta) -> feedbackView(row)).one();
    }

    Flux<ClusterView> largestClusters(String organizationId, int limit) {
        return db.sql("""
                SELECT c.id, c.label, c.size, c.updated_at,
                       coalesce((SELECT array_agg(f.text ORDER BY f.submitted_at) FROM feedback f
                                 WHERE f.id = ANY (c.sample_feedback_ids)), '{}') AS samples
                FROM cluster c WHERE c.organization_id = :org
                ORDER BY c.size DESC, c.updated_at DESC LIMIT :limit""")
                .bind("org", organizationId).bind("limit", limit)
                .map((row, meta) -> new ClusterView(row.get("id", UUID.class).toString(), row.get("label", String.class),
                        row.get("size", Integer.class), instant(row, "updated_at"),
                        List.of(row.get("samples", String[].class))))
                .all();
    }

    /** The organisation owning a cluster, whether its label has arrived yet or only assignments have. */
    Mono<String> clusterOwner(UUID clusterId) {
        return db.sql("""
                SELECT organization_id FROM cluster WHERE id = :id
                UNION ALL SELECT organization_id FROM feedback_assignment WHERE cluster_id = :id
                LIMIT 1""").bind("id", clusterId).map((row, meta) -> row.get("organization_id", String.class)).one();
    }

    Flux<FeedbackView> clusterMembers(UUID clusterId, int page, int size) {
        return db.sql("SELECT " + FEEDBACK_COLUMNS + "\n" + """
                 WHERE a.cluster_id = :cluster
                 ORDER BY a.clustered_at DESC, f.id LIMIT :limit OFFSET :offset""")
                .bind("cluster", clusterId).bind("limit", size).bind("offset", (long) page * size)
                .map((row, meta) -> feedbackView(row)).all();
    }

    Mono<Long> clusterMemberCount(UUID clusterId) {
        return db.sql("""
                SELECT count(*) AS n FROM feedback_assignment a JOIN feedback f ON f.id = a.feedback_id
                WHERE a.cluster_id = :cluster""")
                .bind("cluster", clusterId).map((row, meta) -> row.get("n", Long.class)).one();
    }

    private static FeedbackView feedbackView(Readable row) {
        UUID cluster = row.get("cluster_id", UUID.class);
        return new FeedbackView(row.get("id", UUID.class).toString(), row.get("organization_id", String.class),
                row.get("text", String.class), row.get("lecture_id", String.class), instant(row, "submitted_at"),
                cluster == null ? "PENDING" : "CLUSTERED", cluster == null ? null : cluster.toString());
    }

    private static Instant instant(Readable row, String column) {
        return row.get(column, OffsetDateTime.class).toInstant();
    }
}
