-- feedback-service's own schema: the read model it builds from Kafka, and the idempotency keys of
-- POST /api/feedback. Every write from a consumer is an upsert keyed by an event id, so a
-- redelivered record changes nothing.

CREATE TABLE feedback (
    id              uuid        PRIMARY KEY,
    organization_id text        NOT NULL,
    author_id       text        NOT NULL,
    lecture_id      text,
    text            text        NOT NULL,
    submitted_at    timestamptz NOT NULL
);
CREATE INDEX feedback_organization ON feedback (organization_id, submitted_at DESC);

-- Kept apart from feedback: sift.feedback.clustered.v1 may be read before the submitted event it
-- refers to (another topic, another consumer position), and the join at read time needs no ordering.
CREATE TABLE feedback_assignment (
    feedback_id     uuid             PRIMARY KEY,
    organization_id text             NOT NULL,
    cluster_id      uuid             NOT NULL,
    similarity      double precision NOT NULL,
    batch_id        text             NOT NULL,
    clustered_at    timestamptz      NOT NULL
);
CREATE INDEX feedback_assignment_cluster ON feedback_assignment (cluster_id, clustered_at DESC);

CREATE TABLE cluster (
    id                  uuid        PRIMARY KEY,
    organization_id     text        NOT NULL,
    label               text        NOT NULL,
    size                integer     NOT NULL,
    sample_feedback_ids uuid[]      NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX cluster_organization_size ON cluster (organization_id, size DESC);

-- Idempotency-Key of POST /api/feedback: one row per (subject, key) for 24 hours. A row is PENDING
-- between insert and the broker's acknowledgement, then ACCEPTED.
CREATE TABLE idempotency_key (
    subject      text        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    feedback_id  uuid        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('PENDING', 'ACCEPTED')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
