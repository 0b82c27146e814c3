-- A form's submit key is unique per author and key: the stored key is "<author id>:<key>"
-- (the column stays UNIQUE), so one member's key never collides with another's. Keys written
-- before this version get their author's prefix, so a form sent again after the upgrade still
-- finds its post; keys of deleted accounts (no author) are left as they are.
UPDATE posts SET submit_key = CAST(author_id AS TEXT) || ':' || submit_key
    WHERE submit_key IS NOT NULL AND author_id IS NOT NULL;
UPDATE topics SET submit_key = CAST(author_id AS TEXT) || ':' || submit_key
    WHERE submit_key IS NOT NULL AND author_id IS NOT NULL;
