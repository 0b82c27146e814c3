-- Each applied migration's SHA-256 (of the SQL as run on this database), so a start-up after a
-- migration file was changed stops instead of running on a schema the files no longer describe.
-- Versions applied before this one are filled in by the first start that knows this column.
ALTER TABLE schema_migrations ADD COLUMN checksum TEXT;
