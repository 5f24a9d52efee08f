package dev.sift.report.dashboard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Upserts daily snapshots into {@code report.dashboard_day}, one statement per {@value #BATCH} days (arrays through
 * {@code unnest}; one statement is atomic, so no transaction around it), the batches one after another. A row is
 * replaced only by a snapshot with a higher version, so replays after a crash change nothing. Non-blocking: the
 * stream thread hands the snapshots over and goes on.
 */
final class PostgresDailyAggregateWriter implements DailyAggregateWriter {

    static final int BATCH = 2_000;
    /** The scale revenue is kept at (that of the numeric(20,4) column before V4). */
    static final int AMOUNT_SCALE = 4;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final String UPSERT = """
            INSERT INTO report.dashboard_day AS d
                (instructor_id, day, lecture_id, enrollments, completions, revenue, version, updated_at)
            SELECT i, day::date, l, e::bigint, c::bigint, r::jsonb, v::bigint, now()
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                AS u(i, day, l, e, c, r, v)
            ON CONFLICT (instructor_id, day, lecture_id) DO UPDATE
            SET enrollments = excluded.enrollments, completions = excluded.completions, revenue = excluded.revenue,
                version = excluded.version, updated_at = excluded.updated_at
            WHERE d.version < excluded.version
            """;

    private final DatabaseClient database;

    PostgresDailyAggregateWriter(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public CompletionStage<Void> write(List<DailyAggregate> snapshots) {
        return Flux.range(0, (snapshots.size() + BATCH - 1) / BATCH)
                .concatMap(batch -> writeBatch(
                        snapshots.subList(batch * BATCH, Math.min(snapshots.size(), (batch + 1) * BATCH))))
                .then()
                .timeout(TIMEOUT)
                .toFuture();
    }

    private Mono<Long> writeBatch(List<DailyAggregate> snapshots) {
        int size = snapshots.size();
        String[] instructors = new String[size], days = new String[size], lectures = new String[size],
                enrollments = new String[size], completions = new String[size], revenue = new String[size],
                versions = new String[size];
        for (int i = 0; i < size; i++) {
            DailyAggregate snapshot = snapshots.get(i);
            instructors[i] = snapshot.instructorId();
            days[i] = snapshot.day().toString();
            lectures[i] = snapshot.lectureId();
            enrollments[i] = Long.toString(snapshot.enrollments());
            completions[i] = Long.toString(snapshot.completions());
            revenue[i] = revenueJson(snapshot.revenue());
            versions[i] = Long.toString(snapshot.version());
        }
        return database.sql(UPSERT).bind(0, instructors).bind(1, days).bind(2, lectures).bind(3, enrollments)
                .bind(4, completions).bind(5, revenue).bind(6, versions).fetch().rowsUpdated();
    }

    /** {@code {"KRW":1500.0000}}: each currency (JSON-escaped) with its net amount at {@value #AMOUNT_SCALE} decimals. */
    static String revenueJson(Map<String, BigDecimal> revenue) {
        StringBuilder json = new StringBuilder(2 + revenue.size() * 24).append('{');
        for (Map.Entry<String, BigDecimal> currency : revenue.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(currency.getKey(), json);
            json.append("\":").append(currency.getValue().setScale(AMOUNT_SCALE, RoundingMode.HALF_UP).toPlainString());
        }
        return json.append('}').toString();
    }
}
