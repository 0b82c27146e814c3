-- Support groups, topics, posts and what members do with them (owned by internal/forum).
CREATE TABLE groups (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    rules TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    allow_anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    archived_at {{TIME}},
    created_at {{TIME}} NOT NULL
);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator')),
    joined_at {{TIME}} NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member ON group_members (member_id);

CREATE TABLE join_requests (
    id {{ID}},
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL,
    UNIQUE (group_id, member_id)
);

CREATE TABLE group_invites (
    id {{ID}},
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES members (id) ON DELETE SET NULL,
    created_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL
);

-- A topic's first post is an ordinary post; the topic row holds the title and counters.
CREATE TABLE topics (
    id {{ID}},
    group_id BIGINT NOT NULL REFERENCES groups (id),
    author_id BIGINT REFERENCES members (id) ON DELETE SET NULL,
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    title TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    deleted_at {{TIME}},
    created_at {{TIME}} NOT NULL,
    last_post_at {{TIME}} NOT NULL,
    reply_count INTEGER NOT NULL DEFAULT 0,
    submit_key TEXT UNIQUE
);
CREATE INDEX topics_group_listing ON topics (group_id, pinned, last_post_at);

CREATE TABLE posts (
    id {{ID}},
    topic_id BIGINT NOT NULL REFERENCES topics (id),
    author_id BIGINT REFERENCES members (id) ON DELETE SET NULL,
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    body TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    quote_of BIGINT REFERENCES posts (id) ON DELETE SET NULL,
    crisis_concern BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TIME}} NOT NULL,
    edited_at {{TIME}},
    deleted_at {{TIME}},
    submit_key TEXT UNIQUE
);
CREATE INDEX posts_topic ON posts (topic_id, id);
CREATE INDEX posts_author ON posts (author_id);

-- Earlier versions of an edited post, for moderators.
CREATE TABLE post_revisions (
    id {{ID}},
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions (post_id);

CREATE TABLE reactions (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('hear_you', 'strength', 'me_too', 'thank_you')),
    created_at {{TIME}} NOT NULL,
    PRIMARY KEY (post_id, member_id, kind)
);

-- A member's own choices about what they see (settings, not inferences).
CREATE TABLE member_mutes (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    muted_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at {{TIME}} NOT NULL,
    PRIMARY KEY (member_id, muted_id)
);

CREATE TABLE hidden_warnings (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    PRIMARY KEY (member_id, term)
);

-- In-app notifications. actor_id is NULL for anonymous posts.
CREATE TABLE notifications (
    id {{ID}},
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'quote', 'join_answered')),
    actor_id BIGINT REFERENCES members (id) ON DELETE SET NULL,
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    topic_id BIGINT REFERENCES topics (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    detail TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL
);
CREATE INDEX notifications_member ON notifications (member_id, id);

CREATE TABLE notification_optouts (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (member_id, kind)
);
