-- Indexes, trigger and views every legacy agent_memory has.
CREATE INDEX idx_agent_memory_lookup ON agent_memory(agent_id, session_id, key);
CREATE INDEX idx_agent_memory_agent_global ON agent_memory(agent_id) WHERE session_id IS NULL;
CREATE INDEX idx_agent_memory_expiry ON agent_memory(expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX idx_agent_memory_session ON agent_memory(session_id) WHERE session_id IS NOT NULL;

CREATE TRIGGER agent_memory_updated_at_trigger
    AFTER UPDATE ON agent_memory
    FOR EACH ROW
BEGIN
    UPDATE agent_memory SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

CREATE VIEW active_sessions_with_activity AS
SELECT s.*, COUNT(m.id) AS message_count, MAX(m.timestamp) AS last_message_at,
       COUNT(DISTINCT m.sender) AS unique_agents
FROM sessions s LEFT JOIN messages m ON s.id = m.session_id
WHERE s.is_active = TRUE GROUP BY s.id ORDER BY last_message_at DESC;

CREATE VIEW agent_memory_summary AS
SELECT agent_id, COUNT(*) AS total_entries,
       COUNT(CASE WHEN session_id IS NULL THEN 1 END) AS global_entries,
       COUNT(CASE WHEN session_id IS NOT NULL THEN 1 END) AS session_entries,
       COUNT(CASE WHEN expires_at IS NOT NULL THEN 1 END) AS expiring_entries,
       MIN(created_at) AS first_entry, MAX(updated_at) AS last_updated
FROM agent_memory GROUP BY agent_id ORDER BY total_entries DESC;

CREATE VIEW audit_activity_summary AS
SELECT agent_id, event_type, COUNT(*) AS event_count,
       MIN(timestamp) AS first_event, MAX(timestamp) AS last_event
FROM audit_log GROUP BY agent_id, event_type ORDER BY agent_id, event_count DESC;
