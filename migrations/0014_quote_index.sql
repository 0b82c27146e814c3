-- Editing, deleting or erasing a post looks up the posts that quote it: without this, a full scan of posts each time.
CREATE INDEX posts_quote_of ON posts (quote_of);
