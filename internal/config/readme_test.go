package config

import (
	"flag"
	"io"
	"os"
	"strings"
	"testing"
)

// Every setting the program takes has a row in README's settings table.
func TestReadmeListsEverySetting(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	var cfg Config
	fs, _ := NewFlagSet("haven", &cfg, func(string) string { return "" }, io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(readme, "| `--"+f.Name+"` |") {
			t.Errorf("README's settings table has no row for --%s", f.Name)
		}
	})
}

func TestCrisisRegionMustBeKnown(t *testing.T) {
	t.Parallel()
	var cfg Config
	fs, validate := NewFlagSet("haven", &cfg, func(string) string { return "" }, io.Discard)
	if err := fs.Parse(nil); err != nil || validate() != nil || cfg.CrisisRegion != "international" {
		t.Fatalf("default: %v %v %q", err, validate(), cfg.CrisisRegion)
	}
	fs, validate = NewFlagSet("haven", &cfg, func(string) string { return "" }, io.Discard)
	if err := fs.Parse([]string{"--crisis-region", "atlantis"}); err != nil {
		t.Fatal(err)
	}
	if err := validate(); err == nil || !strings.Contains(err.Error(), "--crisis-region") || !strings.Contains(err.Error(), "uk") {
		t.Errorf("unknown region: %v", err)
	}
}
