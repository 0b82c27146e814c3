package web_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// A form's submit key belongs to its author: another member sending the same key makes their
// own post, and the same member sending it many times at once still makes one.
func TestSubmitKeysArePerAuthor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("key_admin").createGroup("Night Owls", "owls", "public", false)
		ann, ben := a.member("ann_keys"), a.member("ben_keys")
		ann.join("owls")
		ben.join("owls")
		topic := ann.newTopic("owls", "Awake", "Anyone up?")
		path := fmt.Sprintf("/t/%d/replies", topic)
		first := ann.post(path, "body", "From Ann", "_submit", "shared-key")
		other := ben.post(path, "body", "From Ben", "_submit", "shared-key")
		if first.status != http.StatusSeeOther || other.status != http.StatusSeeOther || first.location() == other.location() {
			t.Fatalf("two members with one key: %d %q and %d %q", first.status, first.location(), other.status, other.location())
		}
		csrf := ann.csrf()
		var wg sync.WaitGroup
		locations := make([]string, 8)
		for i := range locations {
			wg.Add(1)
			go func() {
				defer wg.Done()
				locations[i] = ann.postRaw(path, csrf, "body", "Sent at once", "_submit", "race-key").location()
			}()
		}
		wg.Wait()
		for _, l := range locations[1:] {
			if l == "" || l != locations[0] {
				t.Fatalf("one form sent 8 times at once went to %q", locations)
			}
		}
		var n int64
		db.Raw(`SELECT COUNT(*) FROM posts WHERE body IN ('From Ann', 'From Ben', 'Sent at once')`).Scan(&n)
		if n != 3 {
			t.Errorf("%d posts, want 3 (Ann's, Ben's, and one of the eight)", n)
		}
	})
}

// A deleted account's kept posts and topics keep no "<member id>:" submit key: it would link
// them together as one person's.
func TestDeletedAccountsKeptPostsLoseTheirSubmitKeys(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		a := newApp(t, db)
		a.admin("sk_admin").createGroup("Night Owls", "owls", "public", false)
		m := a.member("sk_leaver")
		m.join("owls")
		topic := m.newTopic("owls", "Awake again", "Anyone up?")
		m.reply(topic, "Still here.")
		var keyed int64
		db.Raw(`SELECT (SELECT COUNT(*) FROM posts WHERE submit_key IS NOT NULL) + (SELECT COUNT(*) FROM topics WHERE submit_key IS NOT NULL)`).Scan(&keyed)
		if keyed < 2 {
			t.Fatalf("%d submit keys before the deletion; the test proves nothing", keyed)
		}
		if p := m.post("/account/delete", "posts", "keep", "password", goodPassword); p.status != http.StatusSeeOther {
			t.Fatalf("delete: %d\n%s", p.status, p.body)
		}
		var left []string
		db.Raw(`SELECT submit_key FROM posts WHERE submit_key IS NOT NULL UNION ALL SELECT submit_key FROM topics WHERE submit_key IS NOT NULL`).Scan(&left)
		if len(left) != 0 {
			t.Errorf("kept posts of the deleted account still carry submit keys %q", left)
		}
	})
}
