package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// templ reads "text @pkg.Component(x)" on one line as text: the call is printed, not made
// ("Member since @components.Month(pr.Joined)" on a profile). No generated view may write a
// component call as a literal.
func TestNoViewPrintsAComponentCallAsText(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../views/*/*_templ.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated views found: %v", err)
	}
	literal := regexp.MustCompile(`WriteString\(templ_7745c5c3_Buffer, \d+, "((?:[^"\\]|\\.)*)"\)`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllSubmatch(src, -1) {
			if c := templateCall.Find(m[1]); c != nil {
				t.Errorf("%s prints %q as text: put the call on a line of its own in the .templ", filepath.Base(f), c)
			}
		}
	}
}
