// Package crisis tells a post whose author says they are at risk now from one that mentions
// suicide or self-harm, and holds the help lines Haven shows in a crisis.
package crisis

import (
	"regexp"
	"strings"
)

// Level is what a text says about its author's safety.
type Level int

const (
	None    Level = iota // nothing about suicide or self-harm
	Mention              // a mention, a loss, the past, someone else: resources may be offered, nothing is queued
	AtRisk               // the author, about themself, now: resources first, and moderators are asked to look out
)

// riskCores are first-person expressions of present risk, matched on normalised text.
var riskCores = regexp.MustCompile(`\b(?:` + strings.Join([]string{
	`(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|burn|burning|hang|hanging|starve|starving|poison|shoot|drown) myself`,
	`end(?:ing)? (?:my (?:own )?life|it all|it|everything|things)`,
	`tak(?:e|ing) my (?:own )?life`,
	`(?:want|wanting|need|going|ready|planning|plan|deserve|about) to die`,
	`wish i (?:was|were) dead`, `wish i could (?:just )?(?:die|disappear)`,
	`want to disappear (?:for good|forever)`,
	`cannot (?:go on|keep going|do this anymore|take (?:it|this|any ?more)|live like this|keep living)`,
	`do not want to (?:live|be alive|be here|exist|wake up)`,
	`better off (?:dead|without me|if i (?:was|were) (?:dead|gone))`,
	`no (?:reason|point) (?:to|in) (?:live|living|going on|being alive|carrying on)`,
	`nothing (?:left )?to live for`,
	`(?:am|feel|feeling) suicidal`,
	`(?:the|my) urges? to (?:self[- ]?harm|hurt myself|cut(?: myself)?|end it|die)`,
	`suicide note`,
	`(?:going to|will|planning to|plan to) (?:overdose|jump)`,
	`take all (?:of )?(?:my|the) pills`, `saving (?:up )?pills`,
	`done with (?:life|living)`, `had enough of (?:life|living)`,
	`(?:will not|will never) be (?:here|around) (?:tomorrow|much longer|anymore)`,
	`(?:this is|tonight is) my last (?:post|night|day)`,
}, "|") + `)\b`)

// mentionWords are topics that make a text a mention when no risk is found.
var mentionWords = regexp.MustCompile(`\b(?:suicid\w*|self[- ]?harm\w*|overdos\w*|kill(?:ed|ing)? (?:himself|herself|themselves|themself)|took (?:his|her|their) (?:own )?life|end(?:ed)? (?:his|her|their) life|want(?:s|ed)? to die|cut(?:ting)? myself|hurt(?:ing)? myself)\b`)

// pastMarkers place a clause in the past; recentMarkers bring it back to now.
var (
	pastMarkers   = regexp.MustCompile(`\b(?:ago|used to|back then|back when|when i was|in the past|there was a time|as a (?:teen|teenager|kid|child)|in (?:19|20)\d\d|in my (?:teens|twenties|thirties)|(?:years?|months?) since|(?:years?|months?) clean|last (?:year|spring|summer|autumn|fall|winter))\b`)
	recentMarkers = regexp.MustCompile(`\b(?:tonight|today|right now|now|last night|this (?:morning|evening|week|weekend)|yesterday|again)\b`)
	pastVerbs     = regexp.MustCompile(`\b(?:tried|wanted|attempted|used|thought i|felt|was|were|had|did|nearly|almost|could not)\b`)
	negations     = regexp.MustCompile(`\b(?:not|never|no longer|stopped)\b`)
	// others are subjects that make a clause about someone else.
	others      = regexp.MustCompile(`\b(?:he|she|they|you|we|someone|somebody|people|anyone|everyone|his|her|their|(?:my|our|a|her|his) (?:brother|sister|friend|best friend|mum|mom|mother|dad|father|son|daughter|partner|husband|wife|cousin|uncle|aunt|grandad|grandma|child|kid|teenager|boyfriend|girlfriend|therapist))\b`)
	reported    = regexp.MustCompile(`\b(?:said|says|saying|told|tells|asked|asks)\b`)
	firstPerson = regexp.MustCompile(`\b(?:i|me|my|myself)\b`)
	clauseSplit = regexp.MustCompile(`[.!?;:\n]+|\s(?:but|and)\s`)
)

// contractions are rewritten to one spelling, on word boundaries ("alive" keeps its "ive").
var contractions = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\bi'?m\b`), "i am"}, {regexp.MustCompile(`\bcan'?t\b|\bcan not\b`), "cannot"},
	{regexp.MustCompile(`\bdon'?t\b`), "do not"}, {regexp.MustCompile(`\bwon'?t\b`), "will not"},
	{regexp.MustCompile(`\bcouldn'?t\b`), "could not"}, {regexp.MustCompile(`\bi'll\b`), "i will"},
	{regexp.MustCompile(`\bwanna\b`), "want to"}, {regexp.MustCompile(`\bgonna\b`), "going to"},
	{regexp.MustCompile(`\bi'?ve\b`), "i have"}, {regexp.MustCompile(`\bi'd\b`), "i would"},
}

func normalise(text string) string {
	t := strings.NewReplacer("’", "'", "‘", "'").Replace(strings.ToLower(text))
	for _, c := range contractions {
		t = c.re.ReplaceAllString(t, c.with)
	}
	return " " + strings.Join(strings.Fields(t), " ") + " "
}

// Assess reads a post's title and body. extra are the site's own phrases: one that speaks in the
// first person ("i", "me", "my") is treated as a risk expression, any other as a mention.
func Assess(text string, extra []string) Level {
	t := normalise(text)
	level := None
	for _, clause := range clauseSplit.Split(t, -1) {
		clause = " " + strings.TrimSpace(clause) + " "
		if l := assessClause(clause, extra); l > level {
			level = l
		}
	}
	return level
}

func assessClause(clause string, extra []string) Level {
	start, end := -1, -1
	if m := riskCores.FindStringIndex(clause); m != nil {
		start, end = m[0], m[1]
	}
	level := None
	if mentionWords.MatchString(clause) {
		level = Mention
	}
	for _, p := range extra {
		p = strings.TrimSpace(normalise(p))
		i := strings.Index(clause, p)
		if p == "" || i < 0 {
			continue
		}
		level = Mention
		if firstPerson.MatchString(p) && (start < 0 || i < start) {
			start, end = i, i+len(p)
		}
	}
	if start < 0 {
		return level
	}
	if level == None {
		level = Mention
	}
	before := clause[:start]
	// Words that name the author ("myself", "without me") keep the risk theirs unless it is reported speech.
	selfNamed := firstPerson.MatchString(clause[start:end]) && !reported.MatchString(before)
	if !selfNamed && aboutSomeoneElse(before) {
		return level
	}
	// The verb just before the risk words: after the last comma, the last four words.
	near := lastWords(before[strings.LastIndex(before, ",")+1:], 4)
	if negations.MatchString(near) {
		return level
	}
	recent := recentMarkers.MatchString(clause)
	if (pastMarkers.MatchString(clause) || pastVerbs.MatchString(near)) && !recent {
		return level
	}
	return AtRisk
}

// aboutSomeoneElse reports whether the subject nearest before the risk words is not the author.
func aboutSomeoneElse(before string) bool {
	o := others.FindAllStringIndex(before, -1)
	if o == nil {
		return false
	}
	f := firstPerson.FindAllStringIndex(before, -1)
	return f == nil || o[len(o)-1][0] > f[len(f)-1][0]
}

func lastWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		w = w[len(w)-n:]
	}
	return strings.Join(w, " ")
}
