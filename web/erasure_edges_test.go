package web_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"
)

// Lowering the retention erases the events older than it, like any other erasure: the log is
// folded and truncated before the member is told, so the deleted rows are in no file.
func TestLoweringRetentionFoldsTheLog(t *testing.T) {
	t.Parallel()
	a, path := fileApp(t)
	a.admin("ret_admin").createGroup("Grief", "grief", "public", false)
	m := a.member("ret_reader")
	m.join("grief")
	topic := m.newTopic("grief", "Old evenings", "Some words.")
	m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
	m.get(fmt.Sprintf("/t/%d", topic))
	if n := a.eventCount(t); n != 1 {
		t.Fatalf("%d events recorded, want 1", n)
	}
	a.db.Exec(`UPDATE activity_events SET created_at = ?`, time.Now().UTC().Add(-60*24*time.Hour))
	if p := m.post("/privacy/retention", "retention_days", "30"); p.status != http.StatusSeeOther {
		t.Fatalf("retention: %d", p.status)
	}
	if n := a.eventCount(t); n != 0 {
		t.Fatalf("%d events older than the retention are left", n)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("the log holds %d bytes after the retention erased events: it was not folded", fi.Size())
	}
}
