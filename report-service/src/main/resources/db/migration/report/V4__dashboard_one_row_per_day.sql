-- One row per instructor, UTC day and lecture, revenue included (session 6). Until V3 a day was two upserts, into
-- dashboard_daily and dashboard_daily_revenue, and each table had its primary key plus an (instructor_id, day)
-- index: four index entries per new day, two heap rows per update. A 1M-event backfill ends on writing ~180,000
-- days, so Postgres's share of that tail halves with one row, and the primary key, led by (instructor_id, day),
-- serves the dashboard's range query itself.
--
-- revenue: net amount (payments minus refunds) per currency, as JSON numbers with four decimals (the scale of the
-- old numeric(20,4) column); currencies are never summed together.
CREATE TABLE dashboard_day (
    instructor_id text        NOT NULL,
    day           date        NOT NULL,
    lecture_id    text        NOT NULL,
    enrollments   bigint      NOT NULL,
    completions   bigint      NOT NULL,
    revenue       jsonb       NOT NULL DEFAULT '{}',
    version       bigint      NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instructor_id, day, lecture_id)
) WITH (fillfactor = 70);

INSERT INTO dashboard_day (instructor_id, day, lecture_id, enrollments, completions, revenue, version, updated_at)
SELECT d.instructor_id, d.day, d.lecture_id, d.enrollments, d.completions,
       coalesce(r.revenue, '{}'), d.version, d.updated_at
FROM dashboard_daily d
LEFT JOIN (SELECT instructor_id, lecture_id, day, jsonb_object_agg(currency, amount) AS revenue
           FROM dashboard_daily_revenue GROUP BY instructor_id, lecture_id, day) r
       USING (instructor_id, lecture_id, day);

DROP TABLE dashboard_daily_revenue;
DROP TABLE dashboard_daily;
