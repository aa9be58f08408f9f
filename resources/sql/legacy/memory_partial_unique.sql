-- agent_memory of version "3b": uniqueness by two partial unique indexes.
CREATE TABLE agent_memory (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id TEXT NOT NULL,
    session_id TEXT,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    expires_at TIMESTAMP,
    CONSTRAINT agent_memory_agent_id_not_empty CHECK (length(trim(agent_id)) > 0),
    CONSTRAINT agent_memory_key_not_empty CHECK (length(trim(key)) > 0),
    CONSTRAINT agent_memory_key_length CHECK (length(key) <= 255),
    CONSTRAINT agent_memory_value_not_empty CHECK (length(trim(value)) > 0),
    CONSTRAINT agent_memory_expires_at_future CHECK (expires_at IS NULL OR expires_at > created_at),
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX idx_agent_memory_unique_global ON agent_memory(agent_id, key) WHERE session_id IS NULL;
CREATE UNIQUE INDEX idx_agent_memory_unique_session ON agent_memory(agent_id, session_id, key) WHERE session_id IS NOT NULL;
