package crisis

import "testing"

// TestAssessTable measures the matcher on the hand-written table: every sentence in atRisk must
// be AtRisk (recall), and none in notAtRisk may be (precision).
func TestAssessTable(t *testing.T) {
	t.Parallel()
	if len(atRisk) < 40 || len(notAtRisk) < 40 {
		t.Fatalf("the table needs at least 40 sentences per class: %d and %d", len(atRisk), len(notAtRisk))
	}
	var tp, fn, fp int
	for _, s := range atRisk {
		if Assess(s, nil) == AtRisk {
			tp++
		} else {
			fn++
			t.Errorf("missed, at risk: %q", s)
		}
	}
	for _, s := range notAtRisk {
		if Assess(s, nil) == AtRisk {
			fp++
			t.Errorf("false alarm, not at risk: %q", s)
		}
	}
	t.Logf("at-risk class: precision %.3f (%d/%d), recall %.3f (%d/%d)",
		float64(tp)/float64(tp+fp), tp, tp+fp, float64(tp)/float64(tp+fn), tp, tp+fn)
}

// TestAssessHeldOut reports the figures on sentences the matcher was not tuned on; it fails only
// if recall, the figure that matters most in a crisis, falls below 0.8.
func TestAssessHeldOut(t *testing.T) {
	t.Parallel()
	var tp, fn, fp int
	for _, s := range heldOutAtRisk {
		if Assess(s, nil) == AtRisk {
			tp++
		} else {
			fn++
			t.Logf("missed, at risk: %q", s)
		}
	}
	for _, s := range heldOutNotAtRisk {
		if Assess(s, nil) == AtRisk {
			fp++
			t.Logf("false alarm, not at risk: %q", s)
		}
	}
	recall := float64(tp) / float64(tp+fn)
	t.Logf("held out, at-risk class: precision %.3f (%d/%d), recall %.3f (%d/%d)", float64(tp)/float64(tp+fp), tp, tp+fp, recall, tp, tp+fn)
	if recall < 0.8 {
		t.Errorf("recall %.3f on held-out sentences is below 0.8", recall)
	}
}
