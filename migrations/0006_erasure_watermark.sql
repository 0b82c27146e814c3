-- When a member last erased their record: topic opens queued before then are never written.
ALTER TABLE privacy_settings ADD COLUMN erased_before {{TIME}};
