-- shared-context-server legacy SQLite schema: the parts every version has.
-- Used to build legacy fixtures and demo files exactly as the server wrote them.
-- Timestamp columns are declared TIMESTAMP (NUMERIC affinity), as in the server.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    is_active BOOLEAN DEFAULT TRUE,
    created_by TEXT NOT NULL,
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    CONSTRAINT sessions_purpose_not_empty CHECK (length(trim(purpose)) > 0),
    CONSTRAINT sessions_created_by_not_empty CHECK (length(trim(created_by)) > 0)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    event_type TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    session_id TEXT,
    resource TEXT,
    action TEXT,
    result TEXT,
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    CONSTRAINT audit_log_event_type_not_empty CHECK (length(trim(event_type)) > 0),
    CONSTRAINT audit_log_agent_id_not_empty CHECK (length(trim(agent_id)) > 0),
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE SET NULL
);

CREATE TRIGGER sessions_updated_at_trigger
    AFTER UPDATE ON sessions
    FOR EACH ROW
BEGIN
    UPDATE sessions SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

CREATE INDEX idx_audit_log_timestamp ON audit_log(timestamp);
CREATE INDEX idx_audit_log_agent_time ON audit_log(agent_id, timestamp);
CREATE INDEX idx_audit_log_session_time ON audit_log(session_id, timestamp) WHERE session_id IS NOT NULL;
CREATE INDEX idx_audit_log_event_type ON audit_log(event_type, timestamp);
CREATE INDEX idx_sessions_created_by ON sessions(created_by);
CREATE INDEX idx_sessions_active ON sessions(is_active) WHERE is_active = TRUE;
CREATE INDEX idx_sessions_updated_at ON sessions(updated_at);

CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    description TEXT
);
