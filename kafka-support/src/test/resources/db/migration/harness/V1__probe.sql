-- Proves the harness: Flyway runs against the real Postgres, in the schema the test names.
CREATE TABLE harness_probe (
    id         uuid PRIMARY KEY,
    note       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
