-- Where each member stopped reading each topic, for "N new" and "Continue where you left off"
-- (owned by internal/privacy: part of the activity record, written only through the
-- reading-history gate, shown, exported and erased with it).
CREATE TABLE read_positions (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    last_read_post_id BIGINT NOT NULL,
    read_at {{TIME}} NOT NULL,
    PRIMARY KEY (member_id, topic_id)
);
CREATE INDEX read_positions_read_at ON read_positions (read_at);
CREATE INDEX read_positions_topic ON read_positions (topic_id);
