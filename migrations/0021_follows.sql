-- Issue 14. Topics a member chose to follow (owned by internal/forum): a reply in one notifies
-- them. A choice the member made, not tracking: exported, and erased with the account.
CREATE TABLE topic_follows (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    created_at {{TIME}} NOT NULL,
    PRIMARY KEY (member_id, topic_id)
);
-- A reply reads a topic's followers in one statement.
CREATE INDEX topic_follows_topic ON topic_follows (topic_id, member_id);
-- A topic's author heard of its replies before follows existed; now they hear while they follow
-- it (starting a topic follows it), so authors of live topics follow them, as new ones would.
INSERT INTO topic_follows (member_id, topic_id, created_at)
    SELECT author_id, id, created_at FROM topics WHERE author_id IS NOT NULL AND deleted_at IS NULL;

-- Members who switched off "Follow topics I reply to" at /account (on for everyone else).
CREATE TABLE reply_follow_optouts (
    member_id BIGINT NOT NULL PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE
);

-- The newest notification the member has seen on /notifications: later ones are unread. Only
-- an id, never when they looked.
CREATE TABLE notifications_seen (
    member_id BIGINT NOT NULL PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    notification_id BIGINT NOT NULL
);
