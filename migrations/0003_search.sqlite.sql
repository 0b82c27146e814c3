-- Full-text search over posts (owned by internal/forum). A post's entry has the post's id as its
-- rowid, so it is found and deleted directly; only a topic's first post carries the topic title.
-- The private-use characters U+E000 and U+E001 mark matches in snippets, so they are never indexed.
CREATE VIRTUAL TABLE search_posts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
-- A deleted entry's terms are removed from the index at once (SQLite 3.42+), not left until a merge.
INSERT INTO search_posts (search_posts, rank) VALUES ('secure-delete', 1);

INSERT INTO search_posts (rowid, title, body)
SELECT p.id,
    CASE WHEN p.id = (SELECT MIN(f.id) FROM posts f WHERE f.topic_id = p.topic_id)
        THEN replace(replace(t.title, char(57344), ''), char(57345), '') ELSE '' END,
    replace(replace(p.body, char(57344), ''), char(57345), '')
FROM posts p JOIN topics t ON t.id = p.topic_id
WHERE p.deleted_at IS NULL AND t.deleted_at IS NULL;
