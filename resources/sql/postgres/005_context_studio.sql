-- Version 5 (Context Studio): global memory keys unique (the server's UNIQUE treats
-- NULL session ids as distinct) and the migration's own records. The full-text index
-- is not part of the schema: search builds it on request (SearchIndex::prepare on a
-- writable connection), as SQLite keeps its FTS5 index in a cache. Indexes say IF
-- NOT EXISTS for the same reason as in version 4.
CREATE UNIQUE INDEX IF NOT EXISTS idx_agent_memory_unique_global ON agent_memory(agent_id, key)
    WHERE session_id IS NULL;
-- visibility rides along so that an agent's own private and agent_only messages are
-- counted from the index alone.
CREATE INDEX IF NOT EXISTS idx_messages_session_sender_time ON messages(session_id, sender, timestamp)
    INCLUDE (visibility);

-- Every value a migration could not carry unchanged, with its original bytes.
CREATE TABLE ctx_migration_rejects (
    id BIGSERIAL PRIMARY KEY,
    table_name VARCHAR NOT NULL,
    row_key VARCHAR NOT NULL,
    column_name VARCHAR,
    original BYTEA,
    reason VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_ctx_migration_rejects_key ON ctx_migration_rejects(table_name, row_key);

-- Checkpoints of a running migration, so that --resume continues where it stopped.
CREATE TABLE ctx_migration_progress (
    table_name VARCHAR PRIMARY KEY,
    source_rows BIGINT NOT NULL DEFAULT 0,
    rows_done BIGINT NOT NULL DEFAULT 0,
    last_key VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'pending',
    source_path VARCHAR,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
