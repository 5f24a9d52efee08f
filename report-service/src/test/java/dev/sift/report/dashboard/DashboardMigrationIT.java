package dev.sift.report.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V4 (one row per day) on the real Postgres: the days and revenue a V3 database holds come over unchanged, in a
 * schema of their own so that the service's own (already migrated) schema is not touched.
 */
class DashboardMigrationIT {

    @Test
    void v4KeepsEveryDayAndItsRevenuePerCurrency() throws Exception {
        TestDatabase database = TestDatabase.get();
        String schema = "report_v4_" + UUID.randomUUID().toString().replace("-", "");
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).schemas(schema)
                .defaultSchema(schema).locations("classpath:db/migration/report").target("3").load().migrate();
        try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
            statement.execute("""
                    INSERT INTO %1$s.dashboard_daily (instructor_id, lecture_id, day, enrollments, completions, version)
                    VALUES ('i-1', 'l-1', '2026-11-20', 3, 1, 7), ('i-1', 'l-2', '2026-11-20', 1, 0, 2),
                           ('i-2', 'l-1', '2026-11-21', 0, 0, 4);
                    INSERT INTO %1$s.dashboard_daily_revenue (instructor_id, lecture_id, day, currency, amount, version)
                    VALUES ('i-1', 'l-1', '2026-11-20', 'KRW', 1500.5, 7), ('i-1', 'l-1', '2026-11-20', 'USD', -3, 7),
                           ('i-2', 'l-1', '2026-11-21', 'KRW', 0, 4);
                    """.formatted(schema));

            Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).schemas(schema)
                    .defaultSchema(schema).locations("classpath:db/migration/report").load().migrate();

            List<String> rows = new ArrayList<>();
            try (ResultSet days = statement.executeQuery("""
                    SELECT instructor_id, day, lecture_id, enrollments, completions, version, r.key, r.value::numeric
                    FROM %s.dashboard_day LEFT JOIN LATERAL jsonb_each(revenue) AS r ON true
                    ORDER BY 1, 2, 3, 7""".formatted(schema))) {
                while (days.next()) {
                    BigDecimal amount = days.getBigDecimal(8);
                    rows.add(String.join(" ", days.getString(1), days.getString(2), days.getString(3),
                            days.getString(4), days.getString(5), days.getString(6), String.valueOf(days.getString(7)),
                            amount == null ? "-" : amount.toPlainString()));
                }
            }
            assertThat(rows).containsExactly(
                    "i-1 2026-11-20 l-1 3 1 7 KRW 1500.5000",
                    "i-1 2026-11-20 l-1 3 1 7 USD -3.0000",
                    "i-1 2026-11-20 l-2 1 0 2 null -",
                    "i-2 2026-11-21 l-1 0 0 4 KRW 0.0000");
            try (ResultSet tables = statement.executeQuery("""
                    SELECT count(*) FROM information_schema.tables
                    WHERE table_schema = '%s' AND table_name LIKE 'dashboard_daily%%'""".formatted(schema))) {
                tables.next();
                assertThat(tables.getInt(1)).isZero();
            }
        } finally {
            try (Connection sql = database.connect(); Statement statement = sql.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
