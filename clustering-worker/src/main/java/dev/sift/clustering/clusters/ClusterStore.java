package dev.sift.clustering.clusters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Schema {@code clustering} over JDBC: clusters, assignments and the processed-batches guard. */
@Repository
class ClusterStore {

    /** A cluster as stored; {@code candidate} is null for clusters stored before candidates were kept. */
    record StoredCluster(String id, String label, int size, int labeledSize, float[] sum,
            ClusterLabeler.@Nullable Candidate candidate) {
    }

    /** A feedback's cluster as stored. */
    record StoredAssignment(String feedbackId, String organizationId, String clusterId, double similarity,
            String batchId, String text, Instant clusteredAt) {
    }

    private final JdbcTemplate jdbc;

    ClusterStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the organisation's row lock until the transaction ends, creating the row if needed. */
    void lockOrganization(String organizationId) {
        jdbc.update("insert into organization (organization_id) values (?) on conflict do nothing", organizationId);
        jdbc.queryForObject("select organization_id from organization where organization_id = ? for update",
                String.class, organizationId);
    }

    /** Empty if the batch was never applied; else whether its results were all published. */
    Optional<Boolean> processed(String batchId) {
        return jdbc.query("select published_at from processed_batch where batch_id = ?",
                (rs, row) -> rs.getTimestamp(1) != null, batchId).stream().findFirst();
    }

    void markProcessed(String batchId, String organizationId, Instant now) {
        jdbc.update("insert into processed_batch (batch_id, organization_id, processed_at) values (?, ?, ?)",
                batchId, organizationId, Timestamp.from(now));
    }

    void markPublished(String batchId, Instant now) {
        jdbc.update("update processed_batch set published_at = ? where batch_id = ?", Timestamp.from(now), batchId);
    }

    /**
     * The ids among these that are assigned already. Written as a semi-join over {@code unnest} rather than
     * {@code feedback_id = any (?)}: without table statistics (a new table, or autovacuum off, as on the team
     * machines) the planner chose a sequential scan for {@code = any} with a large array, comparing every row with
     * every id — on the local stack one Postgres backend spent half a core on it once the table held 80k rows
     * (2,000 ids: 18.9 ms that way, 3.5 ms as an index lookup per id, which this form gets whatever the statistics).
     */
    Set<String> alreadyAssigned(Collection<String> feedbackIds) {
        if (feedbackIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList(
                "select feedback_id from assignment where feedback_id in (select unnest(?::text[]))",
                String.class, (Object) feedbackIds.toArray(String[]::new)));
    }

    List<StoredCluster> clusters(String organizationId, String model) {
        return jdbc.query("select " + CLUSTER_COLUMNS
                + " from cluster where organization_id = ? and model = ? and merged_into is null", this::storedCluster,
                organizationId, model);
    }

    void saveCluster(String organizationId, String model, String id, String label, int size, int labeledSize,
            float[] sum, ClusterLabeler.@Nullable Candidate candidate, Instant now) {
        jdbc.update("""
                insert into cluster (cluster_id, organization_id, model, label, size, labeled_size, centroid_sum,
                    label_candidate_id, label_candidate_text, label_candidate_vector, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (cluster_id) do update set label = excluded.label, size = excluded.size,
                    labeled_size = excluded.labeled_size, centroid_sum = excluded.centroid_sum,
                    label_candidate_id = excluded.label_candidate_id,
                    label_candidate_text = excluded.label_candidate_text,
                    label_candidate_vector = excluded.label_candidate_vector, updated_at = excluded.updated_at""",
                id, organizationId, model, label, size, labeledSize, bytes(sum),
                candidate == null ? null : candidate.feedbackId(), candidate == null ? null : candidate.text(),
                candidate == null ? null : bytes(candidate.vector()), Timestamp.from(now));
    }

    void updateLabel(String clusterId, String label, Instant now) {
        jdbc.update("update cluster set label = ?, updated_at = ? where cluster_id = ?", label, Timestamp.from(now),
                clusterId);
    }

    /** Moves the absorbed cluster's members to the survivor; returns the moved assignments as they are now. */
    List<StoredAssignment> merge(String absorbed, String survivor, Instant now) {
        jdbc.update("update cluster set merged_into = ?, size = 0, updated_at = ? where cluster_id = ?", survivor,
                Timestamp.from(now), absorbed);
        List<StoredAssignment> moved = assignmentsOfCluster(absorbed);
        jdbc.update("update assignment set cluster_id = ? where cluster_id = ?", survivor, absorbed);
        return moved.stream().map(a -> new StoredAssignment(a.feedbackId(), a.organizationId(), survivor,
                a.similarity(), a.batchId(), a.text(), a.clusteredAt())).toList();
    }

    void insertAssignments(List<StoredAssignment> assignments) {
        jdbc.batchUpdate("""
                insert into assignment (feedback_id, organization_id, cluster_id, similarity, batch_id, text, clustered_at)
                values (?, ?, ?, ?, ?, ?, ?) on conflict (feedback_id) do nothing""",
                assignments, 500, (ps, a) -> {
                    ps.setString(1, a.feedbackId());
                    ps.setString(2, a.organizationId());
                    ps.setString(3, a.clusterId());
                    ps.setDouble(4, a.similarity());
                    ps.setString(5, a.batchId());
                    ps.setString(6, a.text());
                    ps.setTimestamp(7, Timestamp.from(a.clusteredAt()));
                });
    }

    List<StoredAssignment> assignmentsOfBatch(String batchId) {
        return jdbc.query("select " + ASSIGNMENT_COLUMNS + " from assignment where batch_id = ? order by feedback_id",
                this::assignment, batchId);
    }

    List<StoredAssignment> assignmentsOfCluster(String clusterId) {
        return jdbc.query("select " + ASSIGNMENT_COLUMNS + " from assignment where cluster_id = ?", this::assignment,
                clusterId);
    }

    /** The cluster's members most similar to it when they joined: the samples in a labeled event. */
    List<String> samples(String clusterId, int limit) {
        return jdbc.queryForList("""
                select feedback_id from assignment where cluster_id = ?
                order by similarity desc, feedback_id limit ?""", String.class, clusterId, limit);
    }

    @Nullable StoredCluster cluster(String clusterId) {
        return jdbc.query("select " + CLUSTER_COLUMNS + " from cluster where cluster_id = ?", this::storedCluster,
                clusterId).stream().findFirst().orElse(null);
    }

    private static final String CLUSTER_COLUMNS = "cluster_id, label, size, labeled_size, centroid_sum,"
            + " label_candidate_id, label_candidate_text, label_candidate_vector";

    private StoredCluster storedCluster(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        String candidateId = rs.getString(6);
        byte[] candidateVector = rs.getBytes(8);
        return new StoredCluster(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), floats(rs.getBytes(5)),
                candidateId == null || candidateVector == null ? null
                        : new ClusterLabeler.Candidate(candidateId, rs.getString(7), floats(candidateVector)));
    }

    @Nullable Instant updatedAt(String clusterId) {
        return jdbc.query("select updated_at from cluster where cluster_id = ?",
                (rs, row) -> rs.getTimestamp(1).toInstant(), clusterId).stream().findFirst().orElse(null);
    }

    private static final String ASSIGNMENT_COLUMNS =
            "feedback_id, organization_id, cluster_id, similarity, batch_id, text, clustered_at";

    private StoredAssignment assignment(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new StoredAssignment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant());
    }

    static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] floats(byte[] bytes) {
        float[] vector = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
