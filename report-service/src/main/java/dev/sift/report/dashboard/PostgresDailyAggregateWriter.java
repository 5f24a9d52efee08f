package dev.sift.report.dashboard;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Upserts daily snapshots into {@code report.dashboard_daily} and {@code report.dashboard_daily_revenue},
 * one statement per table per {@value #BATCH} days (arrays through {@code unnest}), each batch in one
 * transaction, the batches one after another. A row is replaced only by a snapshot with a higher version, so
 * replays after a crash change nothing. Non-blocking: the stream thread hands the snapshots over and goes on.
 */
final class PostgresDailyAggregateWriter implements DailyAggregateWriter {

    static final int BATCH = 2_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final String UPSERT_DAILY = """
            INSERT INTO report.dashboard_daily AS d (instructor_id, lecture_id, day, enrollments, completions, version, updated_at)
            SELECT i, l, day::date, e::bigint, c::bigint, v::bigint, now()
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(i, l, day, e, c, v)
            ON CONFLICT (instructor_id, lecture_id, day) DO UPDATE
            SET enrollments = excluded.enrollments, completions = excluded.completions,
                version = excluded.version, updated_at = excluded.updated_at
            WHERE d.version < excluded.version
            """;

    private static final String UPSERT_REVENUE = """
            INSERT INTO report.dashboard_daily_revenue AS r (instructor_id, lecture_id, day, currency, amount, version)
            SELECT i, l, day::date, cur, a::numeric, v::bigint
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(i, l, day, cur, a, v)
            ON CONFLICT (instructor_id, lecture_id, day, currency) DO UPDATE
            SET amount = excluded.amount, version = excluded.version
            WHERE r.version < excluded.version
            """;

    private final DatabaseClient database;
    private final TransactionalOperator transaction;

    PostgresDailyAggregateWriter(DatabaseClient database, TransactionalOperator transaction) {
        this.database = database;
        this.transaction = transaction;
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

    private Mono<Void> writeBatch(List<DailyAggregate> snapshots) {
        int size = snapshots.size();
        List<String> instructors = new ArrayList<>(size), lectures = new ArrayList<>(size), days = new ArrayList<>(size),
                enrollments = new ArrayList<>(size), completions = new ArrayList<>(size), versions = new ArrayList<>(size);
        List<String> revenueInstructors = new ArrayList<>(), revenueLectures = new ArrayList<>(),
                revenueDays = new ArrayList<>(), currencies = new ArrayList<>(), amounts = new ArrayList<>(),
                revenueVersions = new ArrayList<>();
        for (DailyAggregate snapshot : snapshots) {
            instructors.add(snapshot.instructorId());
            lectures.add(snapshot.lectureId());
            days.add(snapshot.day().toString());
            enrollments.add(Long.toString(snapshot.enrollments()));
            completions.add(Long.toString(snapshot.completions()));
            versions.add(Long.toString(snapshot.version()));
            for (Map.Entry<String, BigDecimal> revenue : snapshot.revenue().entrySet()) {
                revenueInstructors.add(snapshot.instructorId());
                revenueLectures.add(snapshot.lectureId());
                revenueDays.add(snapshot.day().toString());
                currencies.add(revenue.getKey());
                amounts.add(revenue.getValue().toPlainString());
                revenueVersions.add(Long.toString(snapshot.version()));
            }
        }
        Mono<Long> daily = upsert(UPSERT_DAILY, instructors, lectures, days, enrollments, completions, versions);
        Mono<Long> revenue = currencies.isEmpty() ? Mono.just(0L)
                : upsert(UPSERT_REVENUE, revenueInstructors, revenueLectures, revenueDays, currencies, amounts,
                        revenueVersions);
        return daily.then(revenue).as(transaction::transactional).then();
    }

    @SafeVarargs
    private Mono<Long> upsert(String sql, List<String>... columns) {
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql);
        for (int i = 0; i < columns.length; i++) {
            statement = statement.bind(i, columns[i].toArray(String[]::new));
        }
        return statement.fetch().rowsUpdated();
    }
}
