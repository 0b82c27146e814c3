-- Members, their recovery codes and their sessions (owned by internal/accounts).
CREATE TABLE members (
    id {{ID}},
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    created_at {{TIME}} NOT NULL,
    password_changed_at {{TIME}} NOT NULL
);

CREATE TABLE recovery_codes (
    id {{ID}},
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE
);
CREATE INDEX recovery_codes_member ON recovery_codes (member_id);

-- Server-side sessions: the cookie holds a random token, the table only its SHA-256, so a
-- stolen database cannot be replayed as cookies and deleting rows ends sessions everywhere.
CREATE TABLE sessions (
    id {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);

-- Fixed-window counters for rate limits (owned by internal/throttle). The bucket is a keyed
-- hash, never a raw address or username; rows expire with their window.
CREATE TABLE throttle_hits (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- Site-wide settings that admins edit (owned by internal/site).
CREATE TABLE site_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at {{TIME}} NOT NULL
);
