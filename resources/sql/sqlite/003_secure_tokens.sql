-- Version 3: Fernet-encrypted JWT storage (opaque bytes, carried byte for byte).
CREATE TABLE IF NOT EXISTS secure_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_id TEXT UNIQUE NOT NULL,
    encrypted_jwt BLOB NOT NULL,
    agent_id TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT secure_tokens_agent_id_not_empty CHECK (length(trim(agent_id)) > 0),
    CONSTRAINT secure_tokens_token_id_not_empty CHECK (length(trim(token_id)) > 0)
);
CREATE INDEX IF NOT EXISTS idx_token_id ON secure_tokens(token_id);
CREATE INDEX IF NOT EXISTS idx_agent_expires ON secure_tokens(agent_id, expires_at);
CREATE INDEX IF NOT EXISTS idx_expires_cleanup ON secure_tokens(expires_at);
