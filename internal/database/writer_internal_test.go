package database

import "testing"

func TestReadOnlyStatements(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]bool{
		"SELECT 1":                                           true,
		"  \n\tselect * FROM posts":                          true,
		"(SELECT 1) UNION (SELECT 2)":                        true,
		"WITH x AS (SELECT 1) SELECT * FROM x":               true,
		"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x": false,
		"with x as (select 1) delete from t":                 false,
		"INSERT INTO t VALUES (1) RETURNING id":              false,
		"UPDATE t SET a = 1":                                 false,
		"PRAGMA wal_checkpoint(TRUNCATE)":                    false,
		"SELECTED":                                           false,
		"":                                                   false,
	} {
		if got := readOnly(q); got != want {
			t.Errorf("readOnly(%q) = %v, want %v", q, got, want)
		}
	}
	if !IsUnavailable(errWriteWait) {
		t.Error("a write that waited too long is not reported as the database being unavailable (503)")
	}
}
