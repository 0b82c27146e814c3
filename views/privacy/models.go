// Package privacyview renders the privacy dashboard and policy from plain view models.
package privacyview

import "time"

// Switch is one purpose's consent switch.
type Switch struct {
	Key, Title, Sentence, Records, UsedFor, WhoSees, Retention string
	On, Lapsed                                                 bool
	OfferErase                                                 bool // just switched off: offer to erase what it recorded
}

// Dashboard is /privacy.
type Dashboard struct {
	Switches      []Switch
	GPC           bool // this request carried Global Privacy Control
	EventCount    int64
	Positions     []ReadPosition // where the member stopped reading each topic
	RetentionDays int
	Retention     []int
	History       []ConsentChange
	Inferences    []Inference
	PersonalOn    bool         // "Personalized suggestions" is on
	Signals       []SignalItem // what personalized suggestions rest on now
	Held          []HeldGroup  // everything else Haven holds about the member, in words
}

// HeldGroup is one kind of thing Haven holds about the member, said in words; Lines is empty
// when it holds none, and Empty says so.
type HeldGroup struct {
	Anchor, Title, About, Empty string
	Lines                       []Line
}

// Line is a sentence with times in it: parts of text and times in turn.
type Line []Part

// Part is a piece of text, or a time when At is set.
type Part struct {
	Text string
	At   time.Time
}

// SignalItem is one thing personalized suggestions rest on; a suggestion's reason links to it.
type SignalItem struct {
	Anchor, What, TopicTitle, TopicURL string
	GroupName                          string
	When                               time.Time
	FromHistory                        bool // a topic open from the reading history
}

// ConsentChange is one line of the consent history.
type ConsentChange struct {
	ReceiptID, PurposeTitle, Method string
	When                            time.Time
	Granted                         bool
	Version                         int
}

// Inference is something derived from the member's record, with where it came from.
type Inference struct {
	Label, Source string
	DeleteAction  string // form action that deletes it (and what it came from)
	DeleteLabel   string
	At            time.Time // when the source was, if it was one moment
}

// ActivityItem is one line of the record: a topic opened once or more on one day.
type ActivityItem struct {
	ID                         int64   // the newest event of the line
	More                       []int64 // the line's other events, deleted with it
	Kind, TopicTitle, TopicURL string  // Kind is "opened"
	GroupName                  string
	When                       time.Time // the newest time
}

// Times is how many events the line stands for.
func (it ActivityItem) Times() int { return 1 + len(it.More) }

// ActivityDay is the record's lines for one day.
type ActivityDay struct {
	ID    string    // "day-2026-12-05", in the member's time zone
	Day   time.Time // a moment of that day
	Items []ActivityItem
}

// ActivityPage is /privacy/activity.
type ActivityPage struct {
	Days        []ActivityDay
	Total       int64
	Page, Pages int
	Kind        string
	GroupID     int64
	Groups      []GroupOption
	PageURL     string // base URL with the filter, for the pager
	Positions   []ReadPosition
}

// ReadPosition is where the member stopped reading one topic, part of their reading history.
type ReadPosition struct {
	TopicID              int64
	TopicTitle, TopicURL string
	GroupName            string
	When                 time.Time // when the position last moved
}

// GroupOption is a group in the filter.
type GroupOption struct {
	ID       int64
	Name     string
	Selected bool
}
