package dev.sift.report.dashboard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads the daily aggregates back in buckets; days of the range are inclusive on both ends, and
 * buckets without revenue or without enrollments are left out of that list.
 */
@Component
class DashboardQueries {

    private static final String REVENUE = """
            SELECT date_trunc($4, day::timestamp)::date AS bucket, r.key AS currency, sum(r.value::numeric) AS amount
            FROM report.dashboard_day, jsonb_each(revenue) AS r
            WHERE instructor_id = $1 AND day BETWEEN $2 AND $3 %s
            GROUP BY 1, 2 ORDER BY 1, 2
            """;

    private static final String ENROLLMENTS = """
            SELECT date_trunc($4, day::timestamp)::date AS bucket, sum(enrollments) AS enrollments,
                   sum(completions) AS completions
            FROM report.dashboard_day
            WHERE instructor_id = $1 AND day BETWEEN $2 AND $3 %s
            GROUP BY 1 HAVING sum(enrollments) > 0 ORDER BY 1
            """;

    private static final String LECTURE_FILTER = "AND lecture_id = $5";

    private final DatabaseClient database;

    DashboardQueries(DatabaseClient database) {
        this.database = database;
    }

    Mono<DashboardView> dashboard(String instructorId, LocalDate from, LocalDate to, @Nullable String lectureId,
            Granularity granularity) {
        Mono<List<DashboardView.Revenue>> revenue = query(REVENUE, instructorId, from, to, lectureId, granularity)
                .map((row, metadata) -> new DashboardView.Revenue(row.get("bucket", LocalDate.class).toString(),
                        plain(row.get("amount", BigDecimal.class)), row.get("currency", String.class)))
                .all().collectList();
        Mono<List<long[]>> days = query(ENROLLMENTS, instructorId, from, to, lectureId, granularity)
                .map((row, metadata) -> new long[] {row.get("bucket", LocalDate.class).toEpochDay(),
                        row.get("enrollments", Number.class).longValue(), row.get("completions", Number.class).longValue()})
                .all().collectList();
        return Mono.zip(revenue, days).map(both -> {
            long enrolled = 0;
            long completed = 0;
            List<DashboardView.Enrollments> enrollments = new java.util.ArrayList<>();
            for (long[] bucket : both.getT2()) {
                enrollments.add(new DashboardView.Enrollments(LocalDate.ofEpochDay(bucket[0]).toString(), bucket[1]));
                enrolled += bucket[1];
                completed += bucket[2];
            }
            return new DashboardView(both.getT1(), enrollments, enrolled == 0 ? 0.0 : (double) completed / enrolled);
        });
    }

    private DatabaseClient.GenericExecuteSpec query(String sql, String instructorId, LocalDate from, LocalDate to,
            @Nullable String lectureId, Granularity granularity) {
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql.formatted(lectureId == null ? "" : LECTURE_FILTER))
                .bind(0, instructorId).bind(1, from).bind(2, to).bind(3, granularity.unit());
        return lectureId == null ? statement : statement.bind(4, lectureId);
    }

    /** {@code 120.5000} from {@code numeric(20,4)} as {@code 120.5}, never in exponent notation. */
    private static BigDecimal plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
