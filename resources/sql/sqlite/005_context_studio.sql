-- Version 5 (Context Studio): indexes for keyset paging by sender and for threads.
CREATE INDEX IF NOT EXISTS idx_messages_session_sender_time ON messages(session_id, sender, timestamp);
CREATE INDEX IF NOT EXISTS idx_messages_parent_id ON messages(parent_message_id) WHERE parent_message_id IS NOT NULL;
