-- Unread counts (internal/privacy reading.go) count, per topic, the readable posts after a read
-- position: this index holds exactly those posts with the author they are checked against, so
-- the count never reads a post's row.
CREATE INDEX posts_readable ON posts (topic_id, id, author_id) WHERE deleted_at IS NULL AND hidden_reason IS NULL AND NOT held;
