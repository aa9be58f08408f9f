-- agent_memory with a table-level UNIQUE (versions 1, 2 and "3a"): sqlite_autoindex_agent_memory_1.
-- NULL session_ids are distinct, so global keys are not unique in practice.
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
    UNIQUE(agent_id, session_id, key),
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE
);
