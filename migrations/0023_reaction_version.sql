-- Issue 13. Bumped by every write that changes the reaction counts of a group's topics
-- (internal/forum/reactiondays.go): suggestions cache the last week's counts keyed on it, so a
-- removed reaction or an erased member's reactions stop counting on every instance at once.
ALTER TABLE groups ADD COLUMN reaction_version BIGINT NOT NULL DEFAULT 0;
