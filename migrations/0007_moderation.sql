-- Moderation (owned by internal/moderation, except the columns added to forum tables, which
-- internal/forum changes when a moderator acts).
ALTER TABLE posts ADD COLUMN hidden_reason TEXT;
ALTER TABLE posts ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE topics ADD COLUMN slow_mode_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN hold_first_posts INTEGER NOT NULL DEFAULT 0;

-- One item per thing a moderator must look at; repeated reports of one post merge into it.
CREATE TABLE queue_items (
    id {{ID}},
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('report', 'concern', 'held', 'appeal', 'escalation')),
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    member_id BIGINT REFERENCES members (id) ON DELETE CASCADE,
    at_risk BOOLEAN NOT NULL DEFAULT FALSE,
    report_count INTEGER NOT NULL DEFAULT 0,
    appeal_log_id BIGINT,
    detail TEXT NOT NULL DEFAULT '',
    assigned_to BIGINT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'handled')),
    handled_by BIGINT,
    handled_action TEXT,
    handled_at {{TIME}},
    created_at {{TIME}} NOT NULL
);
CREATE INDEX queue_items_pending ON queue_items (status, group_id, at_risk, id);
CREATE INDEX queue_items_post ON queue_items (post_id, kind, status);

-- Who reported what stays here and is shown to nobody but the reporter themself.
CREATE TABLE reports (
    id {{ID}},
    item_id BIGINT NOT NULL REFERENCES queue_items (id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reporter_id BIGINT REFERENCES members (id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('at_risk', 'harassment', 'spam', 'misinformation', 'other')),
    details TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL,
    UNIQUE (post_id, reporter_id)
);

CREATE TABLE group_sanctions (
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('mute', 'ban')),
    until {{TIME}},
    created_at {{TIME}} NOT NULL,
    PRIMARY KEY (group_id, member_id, kind)
);

CREATE TABLE suspensions (
    member_id BIGINT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    until {{TIME}},
    created_at {{TIME}} NOT NULL
);

CREATE TABLE watched_words (
    id {{ID}},
    word TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL CHECK (action IN ('block', 'hold', 'flag')),
    created_at {{TIME}} NOT NULL
);

-- A member may appeal each action on them once.
CREATE TABLE appeals (
    log_id BIGINT PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_at {{TIME}} NOT NULL
);
