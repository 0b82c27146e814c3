package insightsview

import (
	"fmt"
	"strconv"
)

// The page's charts, in order: from posts first, then from reading.

func (p Page) postCharts() []chart {
	reactions := make([]series, len(p.Kinds))
	for i, k := range p.Kinds {
		reactions[i] = series{k.Label, "s" + strconv.Itoa(i%4+1), func(w Week) point { return count(w.Reactions[i]) }}
	}
	return []chart{
		barChart("topics", "New topics and replies", p.Weeks, []series{
			{"New topics", "s1", func(w Week) point { return count(w.NewTopics) }},
			{"Replies", "s2", func(w Week) point { return count(w.Replies) }},
		}, false, 0, plain),
		barChart("first-reply", "Median time to a first reply", p.Weeks, []series{{"Median time to a first reply", "s1", firstReply}}, false, 0, hours),
		barChart("no-reply", "Topics with no reply after 24 hours", p.Weeks, []series{{"Share of topics with no reply after 24 hours", "s2", noReply}}, false, 1, percent),
		barChart("reactions", "Reactions by kind", p.Weeks, reactions, true, 0, plain),
	}
}

func (p Page) readingCharts() []chart {
	return []chart{
		barChart("readers", "Readers per topic", p.Weeks, []series{{"Readers per topic", "s3",
			reading(p.K, func(w Week) Figure { return w.ReadersPerTopic }, num)}}, false, 0, plain),
		barChart("reply-share", "Share of readers who reply", p.Weeks, []series{{"Share of readers who reply", "s4",
			reading(p.K, func(w Week) Figure { return w.ReplyShare }, percent)}}, false, 1, percent),
	}
}

func firstReply(w Week) point {
	if w.Answered == 0 {
		return point{State: none, Caption: "no topic answered yet"}
	}
	topics := "topics"
	if w.Answered == 1 {
		topics = "topic"
	}
	return point{V: w.MedianFirstReply.Hours(), Caption: fmt.Sprintf("%s (over %d answered %s)", wait(w.MedianFirstReply), w.Answered, topics)}
}

func noReply(w Week) point {
	if w.DayOld == 0 {
		return point{State: none, Caption: "no topic a day old yet"}
	}
	v := float64(w.NoReplyInADay) / float64(w.DayOld)
	return point{V: v, Caption: fmt.Sprintf("%s (%d of %d)", percent(v), w.NoReplyInADay, w.DayOld)}
}

// reading turns a week's reading figure into a point: withheld and pending figures are marked
// as such, never drawn as zero.
func reading(k int, pick func(Week) Figure, format func(float64) string) func(Week) point {
	return func(w Week) point {
		f := pick(w)
		switch {
		case f.Pending:
			return point{State: pending, Caption: "counted when the week ends"}
		case f.Hidden:
			return point{State: withheld, Caption: fmt.Sprintf("hidden: fewer than %d members", k)}
		}
		return point{V: f.Value, Caption: format(f.Value)}
	}
}

func plain(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func hours(v float64) string { return plain(v) + " h" }
