package database

import "testing"

// SQLite older than 3.44 has no FTS5 secure-delete and is refused at start.
func TestSQLiteVersionFloor(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{
		"3.46.0": true, "3.44.0": true, "3.44.2": true, "3.45": true, "4.0.0": true,
		"3.43.2": false, "3.9.9": false, "2.99.99": false, "": false, "3": false,
	} {
		if got := versionAtLeast(v, minSQLite); got != want {
			t.Errorf("versionAtLeast(%q, 3.44.0) = %v, want %v", v, got, want)
		}
	}
}
