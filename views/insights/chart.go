package insightsview

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// The geometry of every chart, in viewBox units; CSS scales the SVG to the page's width.
const (
	chartW, chartH        = 640, 236
	plotLeft, plotRight   = 56.0, 632.0
	plotTop, plotBottom   = 12.0, 196.0
	labelY                = 214.0
	barGap                = 0.18 // share of a week's slot left empty
	suppressedMarkHeight  = 44.0
	noteAboveBaselineText = 6.0
)

// chart is one bar chart, laid out, with the table of its numbers.
type chart struct {
	ID, Title, Desc string
	Legend          []legendItem
	Bars            []bar // including dashed outlines where a figure is withheld
	Notes           []text
	Ticks           []tick
	XLabels         []text
	Table           table
}

type legendItem struct{ Label, Class string }

type bar struct {
	X, Y, W, H   float64
	Class, Title string
}

type text struct {
	X, Y        float64
	Text, Class string
}

type tick struct {
	Y    float64
	Text string
}

type table struct {
	Caption string
	Head    []string
	Rows    []row
}

type row struct {
	Week    string // "16 Nov 2026"
	Start   string // the week's first day for machines, "2026-11-16"
	Current bool   // the week is not over
	Cells   []cell
}

type cell struct {
	Text       string
	Suppressed bool
}

// point is one value in a chart, or why it has none.
type point struct {
	V       float64
	State   int
	Caption string // for the table and the bar's title
}

const (
	shown = iota
	withheld
	pending
	none
)

type series struct {
	Label, Class string
	At           func(Week) point
}

// barChart lays out one bar per series and week (side by side, or stacked).
// top is the axis's top (0: fitted to the data).
func barChart(id, title string, weeks []Week, ss []series, stacked bool, top float64, axis func(float64) string) chart {
	c := chart{ID: id, Title: title, Desc: describe(weeks, ss)}
	if len(ss) > 1 {
		for _, s := range ss {
			c.Legend = append(c.Legend, legendItem{s.Label, s.Class})
		}
	}
	if top == 0 {
		top = niceMax(weeks, ss, stacked)
	}
	for i := 0; i <= 2; i++ {
		v := top * float64(i) / 2
		c.Ticks = append(c.Ticks, tick{Y: yOf(v, top), Text: axis(v)})
	}
	slot := (plotRight - plotLeft) / float64(len(weeks))
	for i, w := range weeks {
		x0 := plotLeft + slot*float64(i) + slot*barGap/2
		width := slot * (1 - barGap)
		c.XLabels = append(c.XLabels, text{X: x0 + width/2, Y: labelY, Text: short(w)})
		if !stacked {
			width /= float64(len(ss))
		}
		base := 0.0
		for j, s := range ss {
			p := s.At(w)
			x := x0
			if !stacked {
				x += width * float64(j)
			}
			switch p.State {
			case shown:
				y := yOf(base+p.V, top)
				c.Bars = append(c.Bars, bar{X: x, Y: y, W: width, H: yOf(base, top) - y, Class: "bar " + s.Class,
					Title: short(w) + ", " + s.Label + ": " + p.Caption})
				if stacked {
					base += p.V
				}
			case withheld:
				c.Bars = append(c.Bars, bar{X: x, Y: plotBottom - suppressedMarkHeight, W: width, H: suppressedMarkHeight, Class: "suppressed",
					Title: short(w) + ", " + s.Label + ": " + p.Caption})
				c.Notes = append(c.Notes, text{X: x + width/2, Y: plotBottom - suppressedMarkHeight - noteAboveBaselineText, Text: "hidden", Class: "note"})
			case pending:
				c.Notes = append(c.Notes, text{X: x + width/2, Y: plotBottom - noteAboveBaselineText, Text: "not yet", Class: "note"})
			}
		}
	}
	c.Table = tableOf(title, weeks, ss)
	return c
}

func yOf(v, top float64) float64 { return plotBottom - (plotBottom-plotTop)*v/top }

// niceMax is the top of the axis: the largest bar rounded up to 1, 2 or 5 times a power of ten.
func niceMax(weeks []Week, ss []series, stacked bool) float64 {
	largest := 0.0
	for _, w := range weeks {
		sum := 0.0
		for _, s := range ss {
			if p := s.At(w); p.State == shown {
				sum += p.V
				largest = math.Max(largest, p.V)
			}
		}
		if stacked {
			largest = math.Max(largest, sum)
		}
	}
	if largest <= 0 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(largest)))
	for _, m := range []float64{1, 2, 5, 10} {
		if largest <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

func tableOf(title string, weeks []Week, ss []series) table {
	t := table{Caption: "The numbers: " + title, Head: []string{"Week of"}}
	for _, s := range ss {
		t.Head = append(t.Head, s.Label)
	}
	for _, w := range weeks {
		r := row{Week: w.Start.Format("2 Jan 2006"), Start: w.Start.Format(time.DateOnly), Current: w.Current}
		for _, s := range ss {
			p := s.At(w)
			r.Cells = append(r.Cells, cell{Text: p.Caption, Suppressed: p.State == withheld})
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

func describe(weeks []Week, ss []series) string {
	what := ss[0].Label
	for i, s := range ss[1:] {
		sep := ", "
		if i == len(ss)-2 {
			sep = " and "
		}
		what += sep + s.Label
	}
	return fmt.Sprintf("Weekly bars: %s; %d weeks, from the week of %s to the week of %s. The table after the chart gives every number.",
		what, len(weeks), weeks[0].Start.Format("2 January 2006"), weeks[len(weeks)-1].Start.Format("2 January 2006"))
}

func short(w Week) string { return w.Start.Format("2 Jan") }

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func count(n int) point { return point{V: float64(n), Caption: strconv.Itoa(n)} }

// wait says a duration in words a moderator reads at a glance.
func wait(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%d d %d h", int(d.Hours())/24, int(d.Hours())%24)
	}
}

func percent(v float64) string { return strconv.Itoa(int(math.Round(100*v))) + "%" }

// coord writes a coordinate for an SVG attribute.
func coord(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
