// Package modview renders the moderators' queue and log, and the report form.
package modview

import (
	"time"

	"github.com/haven-forum/haven/views/components"
)

// Item is one queue item as the page shows it.
type Item struct {
	ID                   int64
	Kind, KindLabel      string
	GroupName, GroupSlug string
	PostID, TopicID      int64
	TopicTitle           string
	PostHTML             string // sanitized
	PreviousHTML         string // sanitized; the post before it in the thread
	Anonymous            bool
	Hidden               bool
	MemberName           string
	AtRisk               bool
	ReportCount          int
	Detail               string
	AppealOf             string // for appeals: which action, and why it was taken
	When                 time.Time
	Reports              []Report
	History              []Entry
}

// Report is a reason and note, never who reported.
type Report struct{ Reason, Details string }

// Entry is one moderation log line.
type Entry struct {
	When                                 time.Time
	Actor, Action, Target, Group, Reason string
}

// QueuePage is /mod.
type QueuePage struct {
	Items       []Item
	Total       int
	AtRisk      int // items about someone who may be at risk, on this page
	CrisisLines components.HelpLines
	CrisisHTML  string // shown once above the items when one is about someone at risk
	Page, Pages int
}

// LogPage is /mod/log.
type LogPage struct {
	Entries     []Entry
	Total       int
	Page, Pages int
}

// ReasonOption is a report reason.
type ReasonOption struct {
	Key, Label string
	Checked    bool
}
