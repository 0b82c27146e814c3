package forum

// Reads is the forum read for purposes other than showing a page: the inputs to suggestions
// (candidates.go, engagement.go, related.go), a group's insights for its moderators
// (insights.go) and a member's own records for their export (export.go). Each read keeps to
// access.go's rules like every page does.
type Reads struct {
	*shared
	groups *Groups
}
