-- Issue 12. An entry of the erasure list may name a choice by its code (a reaction kind, a
-- notification kind): never text anyone wrote.
ALTER TABLE erasures ADD COLUMN detail TEXT NOT NULL DEFAULT '';
-- Kept posts of deleted accounts lose their "<member id>:" submit keys, which linked them.
UPDATE posts SET submit_key = NULL WHERE author_id IS NULL;
UPDATE topics SET submit_key = NULL WHERE author_id IS NULL;
