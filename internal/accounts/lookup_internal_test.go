package accounts

import (
	"slices"
	"testing"
)

// An IN list takes a few lengths whatever the number of items, and names exactly those items.
func TestInListPadsToAFewLengths(t *testing.T) {
	lengths := map[int]bool{}
	for n := 1; n <= 50; n++ {
		list := make([]int64, n)
		for i := range list {
			list[i] = int64(100 + i)
		}
		got := inList(list)
		lengths[len(got)] = true
		if len(got) < n || !slices.Equal(got[:n], list) {
			t.Fatalf("%d items padded to %v", n, got)
		}
		for _, v := range got[n:] {
			if !slices.Contains(list, v) {
				t.Fatalf("%d items: padding %d is not one of them", n, v)
			}
		}
	}
	if len(lengths) != 5 { // 4, 8, 16, 32, 64
		t.Errorf("50 list lengths gave %d statement forms, want 5", len(lengths))
	}
	if got := inList([]string{}); len(got) != 0 {
		t.Errorf("an empty list became %v", got)
	}
}
