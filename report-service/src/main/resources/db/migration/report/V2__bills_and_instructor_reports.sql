-- Bills read model, materialised from sift.bill.received.v1. The first record of a bill id wins: a
-- re-post or a redelivery changes nothing.
CREATE TABLE bill (
    bill_id     text        PRIMARY KEY,
    title       text        NOT NULL,
    proposer    text        NOT NULL,
    committee   text        NOT NULL,
    proposed_at date        NOT NULL,
    body        text        NOT NULL,
    received_at timestamptz NOT NULL
);

CREATE INDEX bill_by_proposed_at ON bill (proposed_at, bill_id);

-- Summaries from sift.bill.summarized.v1, apart from the bill because the two topics are not ordered
-- with each other: a summary may arrive first. The latest summarized_at wins.
CREATE TABLE bill_summary (
    bill_id       text        PRIMARY KEY,
    status        text        NOT NULL CHECK (status IN ('COMPLETED', 'FAILED')),
    summary       text,
    model         text        NOT NULL,
    input_tokens  bigint      NOT NULL,
    output_tokens bigint      NOT NULL,
    attempts      integer     NOT NULL,
    summarized_at timestamptz NOT NULL
);

-- POST /api/bills: one row per bill id, so a re-post publishes nothing new. received_at is kept so a
-- re-publish after a crash sends the identical event (same CloudEvents id).
CREATE TABLE bill_intake (
    bill_id      text        PRIMARY KEY,
    fingerprint  text        NOT NULL,
    received_at  timestamptz NOT NULL,
    published_at timestamptz
);

-- Material of instructor reports, from sift.lecture.question.v1 and sift.lecture.review.v1; ids make
-- redeliveries harmless.
CREATE TABLE lecture_question (
    question_id   text        PRIMARY KEY,
    instructor_id text        NOT NULL,
    lecture_id    text        NOT NULL,
    text          text        NOT NULL,
    asked_at      timestamptz NOT NULL
);

CREATE INDEX lecture_question_by_instructor ON lecture_question (instructor_id, asked_at DESC);

CREATE TABLE lecture_review (
    review_id     text        PRIMARY KEY,
    instructor_id text        NOT NULL,
    lecture_id    text        NOT NULL,
    rating        smallint    NOT NULL CHECK (rating BETWEEN 1 AND 5),
    text          text        NOT NULL,
    reviewed_at   timestamptz NOT NULL
);

CREATE INDEX lecture_review_by_instructor ON lecture_review (instructor_id, reviewed_at DESC);

-- One row per instructor and period. Inserting it (ON CONFLICT DO NOTHING) is the claim that decides, across
-- replicas, who publishes sift.report.requested.v1; request_id names that claim. A FAILED row is re-claimed by
-- an UPDATE that only one caller can win.
CREATE TABLE instructor_report (
    instructor_id  text        NOT NULL,
    period         text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('GENERATING', 'COMPLETED', 'FAILED')),
    request_id     uuid        NOT NULL,
    claimed_at     timestamptz NOT NULL,
    strengths      jsonb,
    weaknesses     jsonb,
    suggestions    jsonb,
    model          text,
    input_tokens   bigint,
    output_tokens  bigint,
    question_count integer,
    review_count   integer,
    generated_at   timestamptz,
    failure        text,
    PRIMARY KEY (instructor_id, period)
);
