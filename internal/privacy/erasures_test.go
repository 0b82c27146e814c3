package privacy

import "testing"

// Every purpose has its own code on the erasure list, or a withdrawal of it could not be
// re-applied after a restore.
func TestEveryPurposeHasAnErasureCode(t *testing.T) {
	t.Parallel()
	seen := map[int64]string{}
	for _, p := range Purposes {
		code := purposeCodes[p.Key]
		if code == 0 {
			t.Errorf("purpose %s has no code in purposeCodes", p.Key)
		}
		if other, dup := seen[code]; dup {
			t.Errorf("purposes %s and %s share code %d", p.Key, other, code)
		}
		seen[code] = p.Key
	}
}
