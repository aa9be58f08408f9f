-- The server's keys, indexes, GIN indexes on metadata, updated_at triggers and views
-- All of them the server's own, as its file makes them (names included, the
-- redundant ones too). Indexes say IF NOT EXISTS: ctxdb migrate builds them ahead,
-- several at once on separate connections (IndexPrebuilder), before this script runs.
-- earlier text: sha256 af518b5d4a667fe2d2bb096d503f28b2bcc4035f21c07f6c0c7699565ad1f895 (version 6 converges it)
ALTER TABLE messages ADD CONSTRAINT messages_session_id_fkey
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE;
ALTER TABLE messages ADD CONSTRAINT messages_parent_message_id_fkey
    FOREIGN KEY (parent_message_id) REFERENCES messages(id) ON DELETE SET NULL;
ALTER TABLE agent_memory ADD CONSTRAINT agent_memory_session_id_fkey
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_session_id_fkey
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE SET NULL;
ALTER TABLE agent_memory ADD CONSTRAINT agent_memory_agent_id_session_id_key_key
    UNIQUE (agent_id, session_id, key);
ALTER TABLE secure_tokens ADD CONSTRAINT secure_tokens_token_id_key UNIQUE (token_id);

CREATE INDEX IF NOT EXISTS idx_messages_session_id ON messages(session_id);
CREATE INDEX IF NOT EXISTS idx_messages_session_time ON messages(session_id, timestamp);
CREATE INDEX IF NOT EXISTS idx_messages_sender_timestamp ON messages(sender, timestamp);
CREATE INDEX IF NOT EXISTS idx_messages_visibility_session ON messages(visibility, session_id);
CREATE INDEX IF NOT EXISTS idx_messages_parent_id ON messages(parent_message_id) WHERE parent_message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_messages_sender_type ON messages(sender_type, timestamp);
CREATE INDEX IF NOT EXISTS idx_agent_memory_lookup ON agent_memory(agent_id, session_id, key);
CREATE INDEX IF NOT EXISTS idx_agent_memory_agent_global ON agent_memory(agent_id) WHERE session_id IS NULL;
CREATE INDEX IF NOT EXISTS idx_agent_memory_expiry ON agent_memory(expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_agent_memory_session ON agent_memory(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_audit_log_timestamp ON audit_log(timestamp);
CREATE INDEX IF NOT EXISTS idx_audit_log_agent_time ON audit_log(agent_id, timestamp);
CREATE INDEX IF NOT EXISTS idx_audit_log_session_time ON audit_log(session_id, timestamp) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_audit_log_event_type ON audit_log(event_type, timestamp);
CREATE INDEX IF NOT EXISTS idx_sessions_created_by ON sessions(created_by);
CREATE INDEX IF NOT EXISTS idx_sessions_active ON sessions(is_active) WHERE is_active = TRUE;
CREATE INDEX IF NOT EXISTS idx_sessions_updated_at ON sessions(updated_at);
CREATE INDEX IF NOT EXISTS idx_messages_metadata_gin ON messages USING GIN (metadata);
CREATE INDEX IF NOT EXISTS idx_sessions_metadata_gin ON sessions USING GIN (metadata);
CREATE INDEX IF NOT EXISTS idx_agent_memory_metadata_gin ON agent_memory USING GIN (metadata);
CREATE INDEX IF NOT EXISTS idx_audit_log_metadata_gin ON audit_log USING GIN (metadata);
CREATE INDEX IF NOT EXISTS idx_token_id ON secure_tokens(token_id);
CREATE INDEX IF NOT EXISTS idx_agent_expires ON secure_tokens(agent_id, expires_at);
CREATE INDEX IF NOT EXISTS idx_expires_cleanup ON secure_tokens(expires_at);

CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sessions_updated_at_trigger
    BEFORE UPDATE ON sessions
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE TRIGGER agent_memory_updated_at_trigger
    BEFORE UPDATE ON agent_memory
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_at_column();

CREATE VIEW active_sessions_with_activity AS
SELECT
    s.*,
    COUNT(m.id) as message_count,
    MAX(m.timestamp) as last_message_at,
    COUNT(DISTINCT m.sender) as unique_agents
FROM sessions s
LEFT JOIN messages m ON s.id = m.session_id
WHERE s.is_active = TRUE
GROUP BY s.id
ORDER BY last_message_at DESC;

CREATE VIEW agent_memory_summary AS
SELECT
    agent_id,
    COUNT(*) as total_entries,
    COUNT(CASE WHEN session_id IS NULL THEN 1 END) as global_entries,
    COUNT(CASE WHEN session_id IS NOT NULL THEN 1 END) as session_entries,
    COUNT(CASE WHEN expires_at IS NOT NULL THEN 1 END) as expiring_entries,
    MIN(created_at) as first_entry,
    MAX(updated_at) as last_updated
FROM agent_memory
GROUP BY agent_id
ORDER BY total_entries DESC;

CREATE VIEW audit_activity_summary AS
SELECT
    agent_id,
    event_type,
    COUNT(*) as event_count,
    MIN(timestamp) as first_event,
    MAX(timestamp) as last_event
FROM audit_log
GROUP BY agent_id, event_type
ORDER BY agent_id, event_count DESC;
