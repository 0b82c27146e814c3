-- The list of erasures (owned by internal/erasures): what kind of thing a member erased, whose,
-- and when; never what it said. Written in the erasure's own transaction, so that restoring a
-- backup can erase again everything erased after the backup was taken. No foreign keys: the
-- member it names is usually gone.
CREATE TABLE erasures (
    id {{ID}},
    kind TEXT NOT NULL,
    member_id BIGINT,
    object_id BIGINT,
    created_at {{TIME}} NOT NULL
);
