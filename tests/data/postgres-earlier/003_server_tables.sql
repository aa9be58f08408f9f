-- The server's tables (its version 3 shape) on PostgreSQL, without secondary indexes
-- or foreign keys so that bulk loads go at COPY speed; version 4 adds them.
-- Columns that legacy files may hold NULL in stay nullable: nothing is refused.
CREATE TABLE sessions (
    id VARCHAR PRIMARY KEY,
    purpose TEXT NOT NULL,
    created_at TIMESTAMPTZ DEFAULT now(),
    updated_at TIMESTAMPTZ DEFAULT now(),
    is_active BOOLEAN DEFAULT TRUE,
    created_by VARCHAR NOT NULL,
    metadata JSONB
);

CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    session_id VARCHAR NOT NULL,
    sender VARCHAR NOT NULL,
    sender_type VARCHAR NOT NULL DEFAULT 'generic',
    -- At most 100,000 characters. Characters never outnumber bytes, so the constant-time
    -- octet_length settles almost every row and characters are counted only past
    -- 100,000 bytes: counting them on every row took an eighth of a bulk load's CPU.
    content TEXT NOT NULL CONSTRAINT messages_content_length
        CHECK (octet_length(content) <= 100000 OR char_length(content) <= 100000),
    visibility VARCHAR DEFAULT 'public'
        CONSTRAINT messages_visibility_check CHECK (visibility IN ('public', 'private', 'agent_only', 'admin_only')),
    message_type VARCHAR DEFAULT 'agent_response',
    metadata JSONB,
    timestamp TIMESTAMPTZ DEFAULT now(),
    parent_message_id BIGINT
);

CREATE TABLE agent_memory (
    id BIGSERIAL PRIMARY KEY,
    agent_id VARCHAR NOT NULL,
    session_id VARCHAR,
    key VARCHAR(255) NOT NULL,
    value TEXT NOT NULL,
    metadata JSONB,
    created_at TIMESTAMPTZ DEFAULT now(),
    updated_at TIMESTAMPTZ DEFAULT now(),
    expires_at TIMESTAMPTZ
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    timestamp TIMESTAMPTZ DEFAULT now(),
    event_type VARCHAR NOT NULL,
    agent_id VARCHAR NOT NULL,
    session_id VARCHAR,
    resource VARCHAR,
    action VARCHAR,
    result VARCHAR,
    metadata JSONB
);

CREATE TABLE secure_tokens (
    id BIGSERIAL PRIMARY KEY,
    token_id VARCHAR NOT NULL,
    encrypted_jwt BYTEA NOT NULL,
    agent_id VARCHAR NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ DEFAULT now()
);
