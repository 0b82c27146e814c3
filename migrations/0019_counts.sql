-- Issue 13. Counts and facts the topic lists show, kept on write in the transaction that changes
-- them (internal/forum/counts.go) and repaired by "haven check": no page counts or scans per view.
-- A topic counts in its group when it is not deleted and its first post is not held for approval.
ALTER TABLE groups ADD COLUMN topic_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN held_topic_count INTEGER NOT NULL DEFAULT 0;
-- Posts not deleted, hidden or held, in the topics that count.
ALTER TABLE groups ADD COLUMN post_count INTEGER NOT NULL DEFAULT 0;
-- Bumped by every write that changes what the group's pages show: caches key on it.
ALTER TABLE groups ADD COLUMN content_version BIGINT NOT NULL DEFAULT 0;

ALTER TABLE topics ADD COLUMN first_held BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE topics ADD COLUMN visible_posts INTEGER NOT NULL DEFAULT 0;
-- The last post anyone may see; its author is NULL when it is anonymous or the account is gone.
ALTER TABLE topics ADD COLUMN last_post_id BIGINT;
ALTER TABLE topics ADD COLUMN last_post_author_id BIGINT REFERENCES members (id) ON DELETE SET NULL;
ALTER TABLE topics ADD COLUMN last_post_anonymous BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE topics SET
    first_held = COALESCE((SELECT p.held FROM posts p WHERE p.topic_id = topics.id ORDER BY p.id LIMIT 1), FALSE),
    reply_count = (SELECT COUNT(*) FROM posts p WHERE p.topic_id = topics.id) - 1,
    visible_posts = (SELECT COUNT(*) FROM posts p WHERE p.topic_id = topics.id
        AND p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held),
    last_post_id = (SELECT MAX(p.id) FROM posts p WHERE p.topic_id = topics.id
        AND p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held);
UPDATE topics SET reply_count = 0 WHERE reply_count < 0;
UPDATE topics SET
    last_post_anonymous = COALESCE((SELECT p.anonymous FROM posts p WHERE p.id = topics.last_post_id), FALSE),
    last_post_author_id = (SELECT CASE WHEN p.anonymous THEN NULL ELSE p.author_id END FROM posts p WHERE p.id = topics.last_post_id);

UPDATE groups SET
    topic_count = (SELECT COUNT(*) FROM topics t WHERE t.group_id = groups.id AND t.deleted_at IS NULL AND NOT t.first_held),
    held_topic_count = (SELECT COUNT(*) FROM topics t WHERE t.group_id = groups.id AND t.deleted_at IS NULL AND t.first_held),
    post_count = COALESCE((SELECT SUM(t.visible_posts) FROM topics t WHERE t.group_id = groups.id
        AND t.deleted_at IS NULL AND NOT t.first_held), 0);

-- A group page is one walk of this index, newest activity first.
CREATE INDEX topics_group_live ON topics (group_id, pinned, last_post_at, id) WHERE deleted_at IS NULL;
