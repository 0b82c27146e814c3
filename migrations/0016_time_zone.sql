-- The time zone a member reads times in, chosen at /account (owned by internal/accounts).
ALTER TABLE members ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
