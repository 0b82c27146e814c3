// Package privacy is the only door through which behavioural data is written or read. It owns
// consent, the activity record and what is derived from it; its tables are reached from
// nowhere else, so the consent gate cannot be bypassed by accident.
package privacy

// Purpose is one reason Haven may record something about a member. The registry below is the
// single source of truth for the gate, the dashboard, the export and the public policy page.
type Purpose struct {
	Key       string
	Version   int // goes up whenever the text changes; earlier consents then lapse
	Title     string
	Sentence  string // one plain sentence
	Records   string // what is recorded
	UsedFor   string
	WhoSees   string
	Retention string
	// For consent receipts (Kantara Consent Receipt v1.1).
	PurposeCategory string
	PIICategory     []string
	Sensitive       bool
}

// Keys of the purposes.
const (
	ReadingHistory              = "reading_history"
	PersonalizedRecommendations = "personalized_recommendations"
	CommunitySignals            = "community_signals"
	CommunityInsights           = "community_insights"
)

// K is the fewest members any community figure may rest on.
const K = 5

// Purposes lists every purpose, all off by default.
var Purposes = []Purpose{
	{
		Key: ReadingHistory, Version: 3, Title: "Reading history",
		Sentence:        "Remember which topics I open and how far I read in each, so Haven can show me what is new since I last read, let me continue where I left off, and let me look back at what I opened on my privacy page.",
		Records:         "Each topic you open: the topic, its group and the time; and for each topic, your read position: the newest post a page showed you there, and when. Nothing else: not searches, not other pages, not how long you read.",
		UsedFor:         "For you alone: “N new” on topic lists (home, groups, search), “Continue where you left off” on the home page and “Jump to first unread” in a topic, from your read positions; your list of opened topics on your privacy page, and the inference “Interested in <group>” worked out from it (how many topics you opened in each group), shown under “What we inferred” and deletable there. Only where you switch them on too: your personalized suggestions, suggestions for others (“Help suggest topics to others”) and group statistics (“Count me in group statistics”). Read positions are never used for anything but your own markers.",
		WhoSees:         "Only you. Moderators and admins cannot see it.",
		Retention:       "As long as you choose on this page: 30 days, 90 days (the default) or 1 year; then it deletes itself. Switching this off erases your read positions at once (your opened topics stay until you erase them).",
		PurposeCategory: "Personalisation of the service", PIICategory: []string{"Usage data (topics opened)"}, Sensitive: true,
	},
	{
		Key: PersonalizedRecommendations, Version: 1, Title: "Personalized suggestions",
		Sentence:        "Suggest topics for me from my groups, my own posts and reactions, my “not interested” choices, and my reading history where that is on.",
		Records:         "Nothing new by itself: it reads your posts, reactions and “not interested” choices, and your reading history only while that is on.",
		UsedFor:         "The “Suggested for you” list, each suggestion with its reason.",
		WhoSees:         "Only you.",
		Retention:       "Suggestions are worked out when you look; your “not interested” choices are kept until you delete them.",
		PurposeCategory: "Personalisation of the service", PIICategory: []string{"Usage data", "Content you wrote"}, Sensitive: true,
	},
	{
		Key: CommunitySignals, Version: 3, Title: "Help suggest topics to others",
		Sentence:        "Let my reading history, without my name, help suggest topics to other members; it only ever counts where at least 5 established members (accounts old and active enough, as the privacy policy says), me included, read the same two topics.",
		Records:         "Nothing new: your reading history is counted, without your name, in “members who read this also read” (topics you opened within a day of each other), and only while your account counts as established.",
		UsedFor:         "Suggestions for other members, only where at least 5 established members' histories agree.",
		WhoSees:         "Nobody sees your part: only totals over at least 5 members are used.",
		Retention:       "Your part is removed the moment you switch this off, erase your history, or it expires.",
		PurposeCategory: "Service improvement (aggregate)", PIICategory: []string{"Usage data (aggregated)"}, Sensitive: true,
	},
	{
		Key: CommunityInsights, Version: 2, Title: "Count me in group statistics",
		Sentence:        "Count me in the statistics that group moderators see, only as part of groups of at least 5 established members (accounts old and active enough, as the privacy policy says).",
		Records:         "Nothing new: your reading history is counted in two weekly figures: readers per topic, and the share of readers who also replied.",
		UsedFor:         "Weekly group statistics for moderators; any figure resting on fewer than 5 established members is hidden. Moderators and admins of the group are never counted.",
		WhoSees:         "Group moderators and admins see totals only, never a name.",
		Retention:       "Your part is removed the moment you switch this off, erase your history, or it expires.",
		PurposeCategory: "Community moderation (aggregate)", PIICategory: []string{"Usage data (aggregated)"}, Sensitive: true,
	},
}

// Lookup returns the purpose with key.
func Lookup(key string) (Purpose, bool) {
	for _, p := range Purposes {
		if p.Key == key {
			return p, true
		}
	}
	return Purpose{}, false
}

// RetentionChoices are the record lengths a member may choose, in days.
var RetentionChoices = []int{30, 90, 365}

// DefaultRetentionDays applies until a member chooses.
const DefaultRetentionDays = 90
