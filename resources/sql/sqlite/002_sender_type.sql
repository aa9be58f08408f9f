-- Version 2: the agent type of each message, as the server's upgrade script added it.
ALTER TABLE messages ADD COLUMN sender_type TEXT DEFAULT 'generic';
CREATE INDEX IF NOT EXISTS idx_messages_sender_type ON messages(sender_type, timestamp);
