-- Suggestions (issue 6).

-- "Not interested" choices on suggestions (owned by internal/privacy): an inference the member
-- made themselves, shown and deletable on their dashboard, written only while
-- personalized_recommendations is on.
CREATE TABLE not_interested (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    created_at {{TIME}} NOT NULL,
    PRIMARY KEY (member_id, topic_id)
);

-- Indexes on internal/forum's tables for the suggestions' queries: a member's own reactions,
-- and a group's recently active topics.
CREATE INDEX reactions_member ON reactions (member_id, created_at);
CREATE INDEX topics_group_recent ON topics (group_id, last_post_at);

-- "Members who read this also read" asks who opened a topic and what they opened around then:
-- both answered from the indexes alone.
CREATE INDEX activity_events_member_time ON activity_events (member_id, created_at, topic_id);
DROP INDEX activity_events_topic;
CREATE INDEX activity_events_topic ON activity_events (topic_id, created_at, member_id);
