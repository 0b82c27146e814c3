-- Consent and the activity record (owned by internal/privacy, and reachable from nowhere else).

-- The current state of each member's consent to each purpose. A row exists only once the
-- member has chosen; no row means off.
CREATE TABLE consents (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    version INTEGER NOT NULL,
    granted BOOLEAN NOT NULL,
    changed_at {{TIME}} NOT NULL,
    PRIMARY KEY (member_id, purpose)
);

-- Every change, for the consent history and its receipts.
CREATE TABLE consent_records (
    id {{ID}},
    receipt_id TEXT NOT NULL UNIQUE,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    version INTEGER NOT NULL,
    granted BOOLEAN NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('dashboard', 'signup_prompt')),
    created_at {{TIME}} NOT NULL
);
CREATE INDEX consent_records_member ON consent_records (member_id, id);

-- What a member allowed to be recorded: topic opens only, under reading_history.
CREATE TABLE activity_events (
    id {{ID}},
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('topic_open')),
    topic_id BIGINT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    created_at {{TIME}} NOT NULL
);
CREATE INDEX activity_events_member ON activity_events (member_id, id);
CREATE INDEX activity_events_created ON activity_events (created_at);
CREATE INDEX activity_events_topic ON activity_events (topic_id);

-- How long the member's record is kept (30, 90 or 365 days; 90 when there is no row).
CREATE TABLE privacy_settings (
    member_id BIGINT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    retention_days INTEGER NOT NULL CHECK (retention_days IN (30, 90, 365))
);

-- Background jobs take a lease, so that one instance runs each job once per period and a
-- crashed holder's lease runs out and is taken over.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at {{TIME}} NOT NULL,
    last_run_at {{TIME}}
);
