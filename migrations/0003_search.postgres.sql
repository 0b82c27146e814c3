-- Full-text search over posts (owned by internal/forum). Only a topic's first post carries the
-- topic title, weighted above the body. The private-use characters U+E000 and U+E001 mark matches
-- in headlines, so they are never indexed.
CREATE TABLE search_posts (
    post_id BIGINT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    doc tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
    ) STORED
);
CREATE INDEX search_posts_doc ON search_posts USING GIN (doc);

INSERT INTO search_posts (post_id, title, body)
SELECT p.id,
    CASE WHEN p.id = (SELECT MIN(f.id) FROM posts f WHERE f.topic_id = p.topic_id)
        THEN replace(replace(t.title, chr(57344), ''), chr(57345), '') ELSE '' END,
    replace(replace(p.body, chr(57344), ''), chr(57345), '')
FROM posts p JOIN topics t ON t.id = p.topic_id
WHERE p.deleted_at IS NULL AND t.deleted_at IS NULL;
