-- Version 5 (Context Studio): indexes for keyset paging by sender and for threads, and
-- a small covering index for an agent's own private and agent_only messages, so that
-- the total of an agent's view is counted without reading the rows.
CREATE INDEX IF NOT EXISTS idx_messages_session_sender_time ON messages(session_id, sender, timestamp);
CREATE INDEX IF NOT EXISTS idx_messages_parent_id ON messages(parent_message_id) WHERE parent_message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_messages_own_private ON messages(session_id, sender, visibility) WHERE visibility IN ('private', 'agent_only');
