-- What a member chose to show on their profile (owned by internal/forum): a short bio in plain
-- text, and whether other members see the list of their posts there.
CREATE TABLE member_profiles (
    member_id BIGINT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    bio TEXT NOT NULL DEFAULT '',
    hide_posts BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at {{TIME}} NOT NULL
);

-- Posts a member bookmarked (owned by internal/forum): their own choice, seen only by them.
CREATE TABLE bookmarks (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at {{TIME}} NOT NULL,
    PRIMARY KEY (member_id, post_id)
);
CREATE INDEX bookmarks_post ON bookmarks (post_id);

-- A profile lists a member's posts newest first.
CREATE INDEX posts_author_id ON posts (author_id, id);
