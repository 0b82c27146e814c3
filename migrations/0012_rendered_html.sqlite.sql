-- Each post's rendered, sanitised HTML, written with the body (owned by internal/forum), and the
-- renderer version that made it: HTML whose version is not markdown.Version is rendered again.
ALTER TABLE posts ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN body_html_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX posts_html_version ON posts (body_html_version);
-- The same for a group's rules, which every page of the group shows.
ALTER TABLE groups ADD COLUMN rules_html TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN rules_html_version INTEGER NOT NULL DEFAULT 0;

-- Any statement that changes a body without writing its HTML (an erasure, a redacted quote)
-- empties the HTML too, so no rendered copy of words taken back survives.
CREATE TRIGGER posts_body_html_follows_body AFTER UPDATE OF body ON posts
WHEN NEW.body <> OLD.body AND NEW.body_html = OLD.body_html AND OLD.body_html <> ''
BEGIN
    UPDATE posts SET body_html = '', body_html_version = 0 WHERE id = NEW.id;
END;
