-- Issue 13. How many reactions each topic's posts got on each day (UTC, days since 1970), kept on
-- write by the forum: suggestions weigh a topic's reactions of the last week without reading
-- every post's reactions on every home page. Counts only: never who reacted.
CREATE TABLE topic_reaction_days (
    topic_id BIGINT NOT NULL REFERENCES topics (id),
    day INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (topic_id, day)
);
INSERT INTO topic_reaction_days (topic_id, day, n)
SELECT p.topic_id, CAST(strftime('%s', r.created_at) AS INTEGER) / 86400, COUNT(*)
FROM reactions r JOIN posts p ON p.id = r.post_id
GROUP BY p.topic_id, CAST(strftime('%s', r.created_at) AS INTEGER) / 86400;
