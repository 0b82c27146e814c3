package insightsview

import (
	"math"
	"testing"
	"time"
)

func weeksFrom(n int) []Week {
	ws := make([]Week, n)
	for i := range ws {
		ws[i].Start = time.Date(2026, 11, 2+7*i, 0, 0, 0, 0, time.UTC)
	}
	ws[n-1].Current = true
	return ws
}

// A withheld reading figure is a dashed outline marked "hidden", never a bar, and its table cell
// says why; the week still going on has no bar either.
func TestWithheldFiguresAreMarkedNotDrawnAsZero(t *testing.T) {
	t.Parallel()
	p := Page{K: 5, Weeks: weeksFrom(3)}
	p.Weeks[0].ReadersPerTopic = Figure{Hidden: true}
	p.Weeks[1].ReadersPerTopic = Figure{Value: 4}
	p.Weeks[2].ReadersPerTopic = Figure{Pending: true}
	c := p.readingCharts()[0]
	if len(c.Bars) != 2 || c.Bars[0].Class != "suppressed" || c.Bars[1].Class != "bar s3" {
		t.Fatalf("bars %+v", c.Bars)
	}
	if want := (plotBottom - plotTop) * 4 / 5; math.Abs(c.Bars[1].H-want) > 0.01 { // 4 on an axis up to 5
		t.Errorf("bar height %v, want %v", c.Bars[1].H, want)
	}
	if len(c.Notes) != 2 || c.Notes[0].Text != "hidden" || c.Notes[1].Text != "not yet" {
		t.Errorf("notes %+v", c.Notes)
	}
	rows := c.Table.Rows
	if got := rows[0].Cells[0]; !got.Suppressed || got.Text != "hidden: fewer than 5 members" {
		t.Errorf("withheld cell %+v", got)
	}
	if got := rows[1].Cells[0]; got.Suppressed || got.Text != "4.0" {
		t.Errorf("shown cell %+v", got)
	}
	if got := rows[2]; got.Week != "16 Nov 2026" || !got.Current || got.Start != "2026-11-16" || got.Cells[0].Text != "counted when the week ends" {
		t.Errorf("current week row %+v", got)
	}
}

func TestReactionBarsStack(t *testing.T) {
	t.Parallel()
	p := Page{Kinds: []Kind{{"a", "A"}, {"b", "B"}}, Weeks: weeksFrom(1)}
	p.Weeks[0].Reactions = []int{3, 2}
	c := p.postCharts()[3]
	if len(c.Bars) != 2 {
		t.Fatalf("bars %+v", c.Bars)
	}
	a, b := c.Bars[0], c.Bars[1]
	if a.Y+a.H != plotBottom || math.Abs(b.Y+b.H-a.Y) > 0.01 || math.Abs(a.H/b.H-1.5) > 0.01 || b.Y != plotTop {
		t.Errorf("not stacked 3 on 2 up to the top of a 0–5 axis: %+v %+v", a, b)
	}
	if c.Table.Head[1] != "A" || c.Table.Rows[0].Cells[1].Text != "2" {
		t.Errorf("table %+v", c.Table)
	}
}
