-- Expired Idempotency-Key rows (older than 24 h) are deleted by IdempotencyKeyPurge; the index keeps
-- that delete from scanning the whole table.
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
