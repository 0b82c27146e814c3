// Package insightsview renders a group's community insights: weekly figures drawn as SVG on the
// server (no script), each chart followed by a table of its numbers.
package insightsview

import "time"

// Page is /g/:slug/insights.
type Page struct {
	GroupName, GroupSlug string
	K                    int    // the fewest members a reading figure may rest on
	Kinds                []Kind // reaction kinds, in display order
	Weeks                []Week // oldest first; the last is the week still going on
}

// Kind is one kind of reaction.
type Kind struct{ Key, Label string }

// Week is one week's figures.
type Week struct {
	Start   time.Time
	Current bool // still going on
	// From posts.
	NewTopics, Replies    int
	Answered              int // topics started this week that someone else replied to
	MedianFirstReply      time.Duration
	DayOld, NoReplyInADay int   // topics at least a day old; of them, without a reply within 24 hours
	Reactions             []int // per Kinds
	// From reading, over members who opted in.
	ReadersPerTopic, ReplyShare Figure
}

// Figure is a reading figure, or why there is none.
type Figure struct {
	Value   float64
	Hidden  bool // it would rest on fewer than 5 members
	Pending bool // the week is not over
}
