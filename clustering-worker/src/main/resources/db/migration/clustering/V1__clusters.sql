-- clustering-worker's own state. Changed in one transaction per batch, guarded by processed_batch.

-- One row per organisation: locked FOR UPDATE while a batch of that organisation is applied, so a retried
-- batch and a new one of the same organisation never interleave.
create table organization (
    organization_id text primary key
);

create table cluster (
    cluster_id      text primary key,
    organization_id text             not null references organization,
    model           text             not null,
    label           text             not null,
    size            integer          not null,
    labeled_size    integer          not null,
    -- sum of the members' unit embeddings, little-endian float32; the centroid is its direction
    centroid_sum    bytea            not null,
    merged_into     text,
    updated_at      timestamptz      not null
);
create index cluster_by_organization on cluster (organization_id, model) where merged_into is null;

create table assignment (
    feedback_id     text primary key,
    organization_id text             not null,
    cluster_id      text             not null,
    similarity      double precision not null,
    batch_id        text             not null,
    text            text             not null,
    clustered_at    timestamptz      not null
);
create index assignment_by_cluster on assignment (cluster_id);
create index assignment_by_batch on assignment (batch_id);

create table processed_batch (
    batch_id        text primary key,
    organization_id text        not null,
    processed_at    timestamptz not null,
    -- set once every result event of the batch was acknowledged by Kafka; a redelivery before that re-emits
    published_at    timestamptz
);
