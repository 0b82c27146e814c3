-- "Not interested" choices on suggestions (owned by internal/privacy): an inference the member
-- made themselves, shown and deletable on their dashboard, written only while
-- personalized_recommendations is on.
CREATE TABLE not_interested (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    created_at {{TIME}} NOT NULL,
    PRIMARY KEY (member_id, topic_id)
);

-- Personalized suggestions read the viewer's own reactions (internal/forum's table).
CREATE INDEX reactions_member ON reactions (member_id, created_at);
