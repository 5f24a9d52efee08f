-- One row per bill this worker has worked on: what was paid for, what came out, whether it was published.
create table summary (
    bill_id        text primary key,
    status         text        not null check (status in ('REQUESTED', 'COMPLETED', 'FAILED')),
    -- the background response in flight, so a restart polls it instead of paying for a new one
    response_id    text,
    requested_at   timestamptz,
    attempts       integer     not null default 0,
    input_tokens   bigint      not null default 0,
    output_tokens  bigint      not null default 0,
    summary        text,
    model          text,
    summarized_at  timestamptz,
    published_at   timestamptz
);
