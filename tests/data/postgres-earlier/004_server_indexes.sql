-- The server's keys, indexes, GIN indexes on metadata and updated_at triggers.
-- Indexes say IF NOT EXISTS: ctxdb migrate builds them ahead, several at once on
-- separate connections (IndexPrebuilder), before this script runs.
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

CREATE INDEX IF NOT EXISTS idx_messages_session_time ON messages(session_id, timestamp, id);
CREATE INDEX IF NOT EXISTS idx_messages_sender_timestamp ON messages(sender, timestamp);
CREATE INDEX IF NOT EXISTS idx_messages_visibility_session ON messages(visibility, session_id);
CREATE INDEX IF NOT EXISTS idx_messages_parent_id ON messages(parent_message_id) WHERE parent_message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_messages_sender_type ON messages(sender_type, timestamp);
CREATE INDEX IF NOT EXISTS idx_messages_metadata_gin ON messages USING GIN (metadata);
CREATE INDEX IF NOT EXISTS idx_sessions_created_by ON sessions(created_by);
CREATE INDEX IF NOT EXISTS idx_sessions_active ON sessions(is_active) WHERE is_active = TRUE;
CREATE INDEX IF NOT EXISTS idx_sessions_updated_at ON sessions(updated_at);
CREATE INDEX IF NOT EXISTS idx_sessions_metadata_gin ON sessions USING GIN (metadata);
CREATE INDEX IF NOT EXISTS idx_agent_memory_lookup ON agent_memory(agent_id, session_id, key);
CREATE INDEX IF NOT EXISTS idx_agent_memory_expiry ON agent_memory(expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_agent_memory_metadata_gin ON agent_memory USING GIN (metadata);
CREATE INDEX IF NOT EXISTS idx_audit_log_timestamp ON audit_log(timestamp);
CREATE INDEX IF NOT EXISTS idx_audit_log_agent_time ON audit_log(agent_id, timestamp);
CREATE INDEX IF NOT EXISTS idx_audit_log_session_time ON audit_log(session_id, timestamp) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_audit_log_event_type ON audit_log(event_type, timestamp);
CREATE INDEX IF NOT EXISTS idx_audit_log_metadata_gin ON audit_log USING GIN (metadata);
CREATE INDEX IF NOT EXISTS idx_agent_expires ON secure_tokens(agent_id, expires_at);
CREATE INDEX IF NOT EXISTS idx_expires_cleanup ON secure_tokens(expires_at);

CREATE OR REPLACE FUNCTION ctx_set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sessions_updated_at_trigger BEFORE UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION ctx_set_updated_at();
CREATE TRIGGER agent_memory_updated_at_trigger BEFORE UPDATE ON agent_memory
    FOR EACH ROW EXECUTE FUNCTION ctx_set_updated_at();
