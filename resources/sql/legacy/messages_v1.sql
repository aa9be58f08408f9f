-- Version 1 messages: no sender_type column.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    content TEXT NOT NULL,
    visibility TEXT DEFAULT 'public' CHECK (visibility IN ('public', 'private', 'agent_only', 'admin_only')),
    message_type TEXT DEFAULT 'agent_response',
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    parent_message_id INTEGER,
    CONSTRAINT messages_session_id_not_empty CHECK (length(trim(session_id)) > 0),
    CONSTRAINT messages_sender_not_empty CHECK (length(trim(sender)) > 0),
    CONSTRAINT messages_content_not_empty CHECK (length(trim(content)) > 0),
    CONSTRAINT messages_content_length CHECK (length(content) <= 100000),
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE,
    FOREIGN KEY (parent_message_id) REFERENCES messages(id) ON DELETE SET NULL
);
CREATE INDEX idx_messages_session_id ON messages(session_id);
CREATE INDEX idx_messages_session_time ON messages(session_id, timestamp);
CREATE INDEX idx_messages_sender_timestamp ON messages(sender, timestamp);
CREATE INDEX idx_messages_visibility_session ON messages(visibility, session_id);
CREATE INDEX idx_messages_parent_id ON messages(parent_message_id) WHERE parent_message_id IS NOT NULL;
