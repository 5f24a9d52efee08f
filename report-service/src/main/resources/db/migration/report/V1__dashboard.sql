-- Daily dashboard aggregates per instructor, lecture and UTC day, written by the Kafka Streams
-- topology as whole snapshots. "version" grows with every event applied to the day, so an upsert
-- only replaces an older snapshot and a replayed one changes nothing.
CREATE TABLE dashboard_daily (
    instructor_id text        NOT NULL,
    lecture_id    text        NOT NULL,
    day           date        NOT NULL,
    enrollments   bigint      NOT NULL,
    completions   bigint      NOT NULL,
    version       bigint      NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instructor_id, lecture_id, day)
);

CREATE INDEX dashboard_daily_by_instructor_day ON dashboard_daily (instructor_id, day);

-- Net revenue (payments minus refunds) per currency; currencies are never summed together.
CREATE TABLE dashboard_daily_revenue (
    instructor_id text           NOT NULL,
    lecture_id    text           NOT NULL,
    day           date           NOT NULL,
    currency      text           NOT NULL,
    amount        numeric(20, 4) NOT NULL,
    version       bigint         NOT NULL,
    PRIMARY KEY (instructor_id, lecture_id, day, currency)
);

CREATE INDEX dashboard_daily_revenue_by_instructor_day ON dashboard_daily_revenue (instructor_id, day);
