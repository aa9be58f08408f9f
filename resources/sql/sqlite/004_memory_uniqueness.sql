-- Version 4 (Context Studio): repairs what mixed legacy files lack.
-- Global memory keys become unique (the table-level UNIQUE treats NULL session ids
-- as distinct); fails, leaving the file unchanged, while duplicates exist.
CREATE UNIQUE INDEX IF NOT EXISTS idx_agent_memory_unique_global
    ON agent_memory(agent_id, key) WHERE session_id IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS idx_agent_memory_unique_session
    ON agent_memory(agent_id, session_id, key) WHERE session_id IS NOT NULL;
-- Files that say version 3 but never got the table.
CREATE TABLE IF NOT EXISTS secure_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_id TEXT UNIQUE NOT NULL,
    encrypted_jwt BLOB NOT NULL,
    agent_id TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_expires_cleanup ON secure_tokens(expires_at);
CREATE INDEX IF NOT EXISTS idx_messages_sender_type ON messages(sender_type, timestamp);
