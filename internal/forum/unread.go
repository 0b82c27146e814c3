package forum

// ReadablePost is, as SQL on posts aliased p, a post every member of its group reads as a post:
// not deleted, not hidden, not waiting for approval. Unread counts (internal/privacy) count only
// these, so a marker never points at a post the member cannot read or hints that one is held.
const ReadablePost = "p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held"
