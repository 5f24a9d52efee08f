package dev.sift.bills.intake;

import dev.sift.bills.summaries.BillOutcome;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code bill_summary.summary}: per bill, what was requested and paid for, the outcome, and whether its event was
 * acknowledged by Kafka. What makes a redelivered batch free: completed bills are not requested again, a
 * response still in flight is polled again, an unpublished result is re-published from here.
 */
@Repository
class SummaryStore {

    /** A bill's row. */
    record Row(String billId, String status, @Nullable String responseId, @Nullable Instant requestedAt, int attempts,
            long inputTokens, long outputTokens, @Nullable String summary, @Nullable String model,
            @Nullable Instant summarizedAt, @Nullable Instant publishedAt) {

        boolean completed() {
            return "COMPLETED".equals(status);
        }

        boolean failed() {
            return "FAILED".equals(status);
        }
    }

    private final JdbcTemplate jdbc;

    SummaryStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, Row> load(Collection<String> billIds) {
        Map<String, Row> rows = new HashMap<>();
        if (billIds.isEmpty()) {
            return rows;
        }
        // A semi-join over unnest, not "= any (?)": it stays an index lookup per id without table statistics
        // (clustering-worker's ClusterStore.alreadyAssigned says why).
        jdbc.query("select * from summary where bill_id in (select unnest(?::text[]))", rs -> {
            rows.put(rs.getString("bill_id"), new Row(rs.getString("bill_id"), rs.getString("status"),
                    rs.getString("response_id"), instant(rs.getTimestamp("requested_at")), rs.getInt("attempts"),
                    rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getString("summary"),
                    rs.getString("model"), instant(rs.getTimestamp("summarized_at")),
                    instant(rs.getTimestamp("published_at"))));
        }, (Object) billIds.toArray(String[]::new));
        return rows;
    }

    /** A background response was created for the bill (not for a hedge: a restart resumes the original). */
    void requested(String billId, String responseId) {
        jdbc.update("""
                insert into summary (bill_id, status, response_id, requested_at) values (?, 'REQUESTED', ?, now())
                on conflict (bill_id) do update set status = 'REQUESTED', response_id = excluded.response_id,
                    requested_at = excluded.requested_at
                where summary.status <> 'COMPLETED'""", billId, responseId);
    }

    /** The round's outcome; a completed bill stays completed whatever a late duplicate says. */
    void finished(BillOutcome outcome, String status, Instant at) {
        jdbc.update("""
                insert into summary (bill_id, status, attempts, input_tokens, output_tokens, summary, model,
                    summarized_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (bill_id) do update set status = excluded.status, response_id = null,
                    attempts = excluded.attempts, input_tokens = summary.input_tokens + excluded.input_tokens,
                    output_tokens = summary.output_tokens + excluded.output_tokens, summary = excluded.summary,
                    model = excluded.model, summarized_at = excluded.summarized_at, published_at = null
                where summary.status <> 'COMPLETED'""", outcome.billId(), status, outcome.attempts(),
                outcome.inputTokens(), outcome.outputTokens(), outcome.summary(), outcome.model(), Timestamp.from(at));
    }

    void published(String billId) {
        jdbc.update("update summary set published_at = now() where bill_id = ?", billId);
    }

    void publishedAll(List<String> billIds) {
        if (!billIds.isEmpty()) {
            jdbc.update("update summary set published_at = now() where bill_id in (select unnest(?::text[]))",
                    (Object) billIds.toArray(String[]::new));
        }
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
