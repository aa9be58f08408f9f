-- Version 6: the server's exact schema on databases made by earlier Context Studio builds
-- Versions 3 and 4 made a look-alike of the server's schema until they were rewritten
-- to make its objects exactly (unbounded VARCHARs, now() defaults, two CHECKs, a
-- trigger function of our own, no views, four indexes missing). Such a database has
-- ctx_set_updated_at(); it is altered here object by object into the server's shape.
-- On any other database (made by today's versions 3 and 4, or by the server's file)
-- the block does nothing. Rows that the server's CHECKs refuse make this version fail
-- with PostgreSQL's message naming the constraint, and nothing is changed.
DO $converge$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                   WHERE p.proname = 'ctx_set_updated_at' AND n.nspname = current_schema()) THEN
        RETURN;
    END IF;
    ALTER TABLE sessions
        ALTER COLUMN id TYPE VARCHAR(255),
        ALTER COLUMN created_by TYPE VARCHAR(255),
        ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP,
        ALTER COLUMN updated_at SET DEFAULT CURRENT_TIMESTAMP,
        ADD CONSTRAINT sessions_purpose_not_empty CHECK (length(trim(purpose)) > 0),
        ADD CONSTRAINT sessions_created_by_not_empty CHECK (length(trim(created_by)) > 0);
    ALTER TABLE messages
        ALTER COLUMN session_id TYPE VARCHAR(255),
        ALTER COLUMN sender TYPE VARCHAR(255),
        ALTER COLUMN sender_type TYPE VARCHAR(50),
        ALTER COLUMN sender_type DROP NOT NULL,
        ALTER COLUMN visibility TYPE VARCHAR(20),
        ALTER COLUMN message_type TYPE VARCHAR(50),
        ALTER COLUMN timestamp SET DEFAULT CURRENT_TIMESTAMP,
        DROP CONSTRAINT messages_content_length,
        ADD CONSTRAINT messages_session_id_not_empty CHECK (length(trim(session_id)) > 0),
        ADD CONSTRAINT messages_sender_not_empty CHECK (length(trim(sender)) > 0),
        ADD CONSTRAINT messages_sender_type_not_empty CHECK (length(trim(sender_type)) > 0),
        ADD CONSTRAINT messages_content_not_empty CHECK (length(trim(content)) > 0),
        ADD CONSTRAINT messages_content_length CHECK (length(content) <= 100000);
    -- Its expression was stored for the unbounded type: made again as the server's is.
    ALTER TABLE messages DROP CONSTRAINT messages_visibility_check,
        ADD CONSTRAINT messages_visibility_check
            CHECK (visibility IN ('public', 'private', 'agent_only', 'admin_only'));
    ALTER TABLE agent_memory
        ALTER COLUMN agent_id TYPE VARCHAR(255),
        ALTER COLUMN session_id TYPE VARCHAR(255),
        ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP,
        ALTER COLUMN updated_at SET DEFAULT CURRENT_TIMESTAMP,
        ADD CONSTRAINT agent_memory_agent_id_not_empty CHECK (length(trim(agent_id)) > 0),
        ADD CONSTRAINT agent_memory_key_not_empty CHECK (length(trim(key)) > 0),
        ADD CONSTRAINT agent_memory_key_length CHECK (length(key) <= 255),
        ADD CONSTRAINT agent_memory_value_not_empty CHECK (length(trim(value)) > 0),
        ADD CONSTRAINT agent_memory_expires_at_future CHECK (expires_at IS NULL OR expires_at > created_at);
    ALTER TABLE audit_log
        ALTER COLUMN timestamp SET DEFAULT CURRENT_TIMESTAMP,
        ALTER COLUMN event_type TYPE VARCHAR(100),
        ALTER COLUMN agent_id TYPE VARCHAR(255),
        ALTER COLUMN session_id TYPE VARCHAR(255),
        ALTER COLUMN resource TYPE VARCHAR(255),
        ALTER COLUMN action TYPE VARCHAR(100),
        ALTER COLUMN result TYPE VARCHAR(100),
        ADD CONSTRAINT audit_log_event_type_not_empty CHECK (length(trim(event_type)) > 0),
        ADD CONSTRAINT audit_log_agent_id_not_empty CHECK (length(trim(agent_id)) > 0);
    ALTER TABLE secure_tokens
        ALTER COLUMN token_id TYPE VARCHAR(255),
        ALTER COLUMN agent_id TYPE VARCHAR(255),
        ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP,
        ADD CONSTRAINT secure_tokens_agent_id_not_empty CHECK (length(trim(agent_id)) > 0),
        ADD CONSTRAINT secure_tokens_token_id_not_empty CHECK (length(trim(token_id)) > 0);
    -- The earlier idx_messages_session_time is Context Studio's paging index.
    ALTER INDEX idx_messages_session_time RENAME TO idx_ctx_messages_session_page;
    CREATE INDEX idx_messages_session_id ON messages(session_id);
    CREATE INDEX idx_messages_session_time ON messages(session_id, timestamp);
    CREATE INDEX idx_agent_memory_agent_global ON agent_memory(agent_id) WHERE session_id IS NULL;
    CREATE INDEX idx_agent_memory_session ON agent_memory(session_id) WHERE session_id IS NOT NULL;
    CREATE INDEX idx_token_id ON secure_tokens(token_id);
    CREATE OR REPLACE FUNCTION update_updated_at_column()
    RETURNS TRIGGER AS $function$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$function$ LANGUAGE plpgsql;
    DROP TRIGGER sessions_updated_at_trigger ON sessions;
    DROP TRIGGER agent_memory_updated_at_trigger ON agent_memory;
    CREATE TRIGGER sessions_updated_at_trigger BEFORE UPDATE ON sessions
        FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
    CREATE TRIGGER agent_memory_updated_at_trigger BEFORE UPDATE ON agent_memory
        FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
    DROP FUNCTION ctx_set_updated_at();
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
END
$converge$;

ALTER TABLE schema_version ALTER COLUMN applied_at SET DEFAULT CURRENT_TIMESTAMP;

-- Context Studio's keyset paging index (session, time, id): a page of a session and
-- the jump to any page read it alone.
CREATE INDEX IF NOT EXISTS idx_ctx_messages_session_page ON messages(session_id, timestamp, id);
