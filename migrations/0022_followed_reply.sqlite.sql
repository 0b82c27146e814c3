-- Issue 14. -- A new kind of notification: a reply in a topic the member follows. SQLite cannot change a
-- CHECK in place, so the table is rebuilt with its ids, and its AUTOINCREMENT counter carried
-- over so that no deleted id is ever reused (the unread marker compares ids).
CREATE TABLE notifications_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'quote', 'join_answered', 'followed_reply')),
    actor_id BIGINT REFERENCES members (id) ON DELETE SET NULL,
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    topic_id BIGINT REFERENCES topics (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    detail TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
INSERT INTO notifications_new (id, member_id, kind, actor_id, group_id, topic_id, post_id, detail, created_at)
    SELECT id, member_id, kind, actor_id, group_id, topic_id, post_id, detail, created_at FROM notifications;
DELETE FROM sqlite_sequence WHERE name = 'notifications_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'notifications_new', seq FROM sqlite_sequence WHERE name = 'notifications';
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_member ON notifications (member_id, id);
