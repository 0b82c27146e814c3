package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// A small sentence grammar for generated posts: a support forum's everyday words in endless
// combinations, so generated data exercises search and rendering like real text would.
// No title or sentence here may contain a crisis phrase (a test checks the defaults).
var (
	gTimes = []string{
		"This morning", "Last night", "Yesterday", "Over the weekend", "On my lunch break", "Earlier today",
		"After work", "This week",
	}
	gThings = []string{
		"the mornings", "my sleep", "work", "family dinners", "the holidays", "the anniversary", "being on my own",
		"telling people", "going back to work", "the first appointment", "new routines", "the bad days",
		"setbacks", "the school run", "weekends", "the waiting room", "phone calls", "the evenings", "my energy",
		"old habits", "the quiet house", "crowded places", "my own body", "saying no",
	}
	gActions = []string{
		"went for a short walk", "called my sister", "wrote everything down", "sat with the feeling for a while",
		"made it to my appointment", "cooked a proper meal", "told a friend what was going on",
		"read through old posts here", "went to bed early", "tidied one drawer", "sat in the garden",
		"listened to an old album", "made a list of small wins", "asked for help",
	}
	gResults = []string{
		"it helped more than I thought", "it didn't fix anything, but it was something",
		"it took everything I had", "it made the evening easier", "it reminded me I'm not alone",
		"I felt a little lighter", "I slept a bit better", "I was proud of myself afterwards",
	}
	gQuality = []string{
		"a little easier", "harder than I expected", "quiet, which helped", "one of the better ones",
		"long and heavy", "a mixed bag", "strangely calm", "a lot",
	}
	gFeelings = []string{
		"tired", "hopeful", "wobbly", "numb", "restless", "relieved", "heavy", "grateful", "anxious", "lonely",
		"steadier",
	}
	gCoping = []string{
		"breaking the day into small pieces", "keeping a note of tiny wins",
		"a fixed bedtime, even when I can't sleep", "having one person I can text",
		"getting outside for ten minutes", "letting myself cry without judging it",
		"writing here instead of bottling it up", "lowering the bar on hard days",
		"a cup of tea and no phone for an hour",
	}
	gSupport = []string{
		"Thank you for sharing this.", "I hear you.", "Sending you strength.", "You are not alone in this.",
		"Be gentle with yourself today.", "Small steps still count.", "It makes sense that you feel this way.",
		"I'm really glad you posted.", "Thinking of you.", "Me too, more than I'd like to admit.",
	}
	gAsks = []string{
		"Has anyone else been through this?", "Any thoughts welcome.", "Is this normal?",
		"Does this make sense to anyone?",
	}
	gAsksAbout = []string{
		"How do you all cope with", "Does anyone else struggle with", "What helps you with", "Any tips for",
	}
	gOpeners = []string{
		"Struggling with", "Small win with", "A question about", "Thinking about", "Finally talked about",
		"Need to vent about", "A week of", "Learning to live with", "Getting through",
	}
	gTails = []string{
		"Checking in", "New here, hello", "Just need to say this somewhere", "One year today",
		"Thank you, all of you", "A better day", "Rough week", "Still here",
	}
	gStatuses = []string{
		"still going", "feeling stronger", "not sure how I feel", "proud of myself", "taking it slowly",
	}
	gWarnings = []string{
		"medical details", "death of a parent", "mentions of self-harm", "relapse", "pregnancy loss",
		"hospital stay",
	}
)

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// genTitle is a topic title.
func genTitle(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return "How do you cope with " + pick(r, gThings) + "?"
	case 1:
		return "Day " + strconv.Itoa(2+r.IntN(400)) + " and " + pick(r, gStatuses)
	case 2:
		return pick(r, gTails)
	}
	return pick(r, gOpeners) + " " + pick(r, gThings)
}

// genSentence appends one sentence to b.
func genSentence(r *rand.Rand, b *strings.Builder) {
	switch r.IntN(7) {
	case 0:
		b.WriteString("Today was " + pick(r, gQuality) + ".")
	case 1:
		b.WriteString("I keep coming back to " + pick(r, gThings) + ".")
	case 2:
		b.WriteString(pick(r, gTimes) + " I " + pick(r, gActions) + ", and " + pick(r, gResults) + ".")
	case 3:
		b.WriteString("Feeling " + pick(r, gFeelings) + " about " + pick(r, gThings) + ", if I'm honest.")
	case 4:
		b.WriteString("What helps me is " + pick(r, gCoping) + ".")
	case 5:
		b.WriteString(pick(r, gSupport))
	default:
		if r.IntN(2) == 0 {
			b.WriteString(pick(r, gAsks))
		} else {
			b.WriteString(pick(r, gAsksAbout) + " " + pick(r, gThings) + "?")
		}
	}
}

// genBody appends a post of one to three short paragraphs to b.
func genBody(r *rand.Rand, b *strings.Builder) {
	for p, paras := 0, 1+r.IntN(3); p < paras; p++ {
		if p > 0 {
			b.WriteString("\n\n")
		}
		for s, n := 0, 2+r.IntN(3); s < n; s++ {
			if s > 0 {
				b.WriteByte(' ')
			}
			genSentence(r, b)
		}
	}
}
