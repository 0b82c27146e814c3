package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// modelMember is what the test believes Haven may hold about one member.
type modelMember struct {
	name      string
	c         *client
	on        bool           // reading history consent
	events    []int64        // topic ids recorded, oldest first
	positions map[int64]bool // topics with a read position
}

// A property test: random sequences of consent switches, topic opens (some with Global Privacy
// Control), posts, reactions, deletions, erasures and purges by several members. After every
// step the stored activity must be exactly what consent allowed at write time, minus what was
// deleted, erased or expired, and the dashboard must agree with the database.
func TestPrivacyProperty(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("prop_admin")
		admin.createGroup("One", "one", "public", false)
		admin.createGroup("Two", "two", "public", false)
		rng := rand.New(rand.NewPCG(42, uint64(len(db.Dialector.Name()))))
		var members []*modelMember
		var topics []int64
		for i := 0; i < 3; i++ {
			m := &modelMember{name: fmt.Sprintf("prop_%d", i), positions: map[int64]bool{}}
			m.c = a.member(m.name)
			m.c.join("one")
			m.c.join("two")
			members = append(members, m)
			topics = append(topics, m.c.newTopic([]string{"one", "two"}[i%2], fmt.Sprintf("Topic %d", i), "text"))
		}
		svc := privacy.NewService(db, privacy.ControllerInfo{})
		for step := 0; step < 90; step++ {
			m := members[rng.IntN(len(members))]
			topic := topics[rng.IntN(len(topics))]
			var action string
			switch r := rng.IntN(100); {
			case r < 15:
				action = "switch"
				m.on = !m.on
				m.c.post("/privacy/consent", "purpose", "reading_history", "enabled", strconv.FormatBool(m.on))
				if !m.on {
					m.positions = map[int64]bool{} // switching off erases them at once
				}
			case r < 55:
				action = "open"
				if m.c.get(fmt.Sprintf("/t/%d", topic)).status != http.StatusOK {
					t.Fatalf("step %d: open failed", step)
				}
				if m.on {
					m.events = append(m.events, topic)
					m.positions[topic] = true
				}
			case r < 62:
				action = "open with GPC"
				req, _ := http.NewRequest(http.MethodGet, a.srv.URL+fmt.Sprintf("/t/%d", topic), nil)
				req.Header.Set("Sec-GPC", "1")
				m.c.do(req)
			case r < 70:
				action = "post and react"
				id := m.c.reply(topic, fmt.Sprintf("reply at step %d", step))
				m.c.post(fmt.Sprintf("/p/%d/react", id), "kind", "me_too")
				m.c.get(fmt.Sprintf("/p/%d", id)) // a redirect, not a topic open
				m.c.get("/search?q=reply")
			case r < 80:
				action = "delete one"
				ids := storedIDs(t, db, m.name)
				if len(ids) > 0 {
					k := rng.IntN(len(ids))
					if p := m.c.post(fmt.Sprintf("/privacy/activity/%d/delete", ids[k])); p.status != http.StatusSeeOther {
						t.Fatalf("step %d: delete: %d", step, p.status)
					}
					m.events = slices.Delete(m.events, k, k+1)
				}
			case r < 86:
				action = "erase"
				m.c.post("/privacy/erase", "confirm", "yes")
				m.events = nil
				m.positions = map[int64]bool{}
			case r < 93:
				action = "age and purge"
				// The member's oldest events become 100 days old: past the default 90.
				ids := storedIDs(t, db, m.name)
				n := min(len(ids), 1+rng.IntN(3))
				for _, id := range ids[:n] {
					db.Exec(`UPDATE activity_events SET created_at = ? WHERE id = ?`, time.Now().UTC().Add(-100*24*time.Hour), id)
				}
				if _, err := svc.PurgeExpired(context.Background()); err != nil {
					t.Fatal(err)
				}
				m.events = m.events[n:]
			default:
				action = "another member switches"
				o := members[rng.IntN(len(members))]
				o.on = !o.on
				o.c.post("/privacy/consent", "purpose", "reading_history", "enabled", strconv.FormatBool(o.on))
				if !o.on {
					o.positions = map[int64]bool{}
				}
			}
			if err := a.privacy.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, mm := range members {
				got := storedTopics(t, db, mm.name)
				if !slices.Equal(got, mm.events) {
					t.Fatalf("step %d (%s by %s): %s has %v stored, model says %v", step, action, m.name, mm.name, got, mm.events)
				}
				if got, want := storedPositions(t, db, mm.name), sortedKeys(mm.positions); !slices.Equal(got, want) {
					t.Fatalf("step %d (%s by %s): %s has read positions in %v, model says %v", step, action, m.name, mm.name, got, want)
				}
				dash := mm.c.get("/privacy/activity")
				want := fmt.Sprintf("%d items", len(mm.events))
				if len(mm.events) == 1 {
					want = "1 item,"
				}
				if !regexp.MustCompile(`\b` + want).MatchString(dash.body) {
					t.Fatalf("step %d (%s): %s's dashboard does not say %q", step, action, mm.name, want)
				}
				if exported := exportedTopics(t, mm.c); !slices.Equal(exported, sorted(mm.events)) {
					t.Fatalf("step %d (%s): %s's export lists %v, model says %v", step, action, mm.name, exported, mm.events)
				}
			}
		}
	})
}

func storedPositions(t *testing.T, db *gorm.DB, username string) []int64 {
	t.Helper()
	var ids []int64
	db.Raw(`SELECT r.topic_id FROM read_positions r JOIN members m ON m.id = r.member_id WHERE m.username = ? ORDER BY r.topic_id`, username).Scan(&ids)
	return ids
}

func sortedKeys(set map[int64]bool) []int64 {
	out := make([]int64, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func storedIDs(t *testing.T, db *gorm.DB, username string) []int64 {
	t.Helper()
	var ids []int64
	db.Raw(`SELECT e.id FROM activity_events e JOIN members m ON m.id = e.member_id WHERE m.username = ? ORDER BY e.id DESC`, username).Scan(&ids)
	slices.Reverse(ids) // oldest first
	return ids
}

func storedTopics(t *testing.T, db *gorm.DB, username string) []int64 {
	t.Helper()
	var ids []int64
	db.Raw(`SELECT e.topic_id FROM activity_events e JOIN members m ON m.id = e.member_id WHERE m.username = ? ORDER BY e.id`, username).Scan(&ids)
	return ids
}

// exportedTopics downloads the member's export and returns the topic ids of its activity, sorted.
func exportedTopics(t *testing.T, c *client) []int64 {
	t.Helper()
	p := c.get("/privacy/export")
	if p.status != http.StatusOK {
		t.Fatalf("export: %d", p.status)
	}
	var doc struct {
		Activity []struct {
			Kind    string `json:"kind"`
			TopicID int64  `json:"topic_id"`
			Group   string `json:"group"`
			At      string `json:"at"`
		} `json:"activity"`
	}
	if err := json.Unmarshal([]byte(p.body), &doc); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	ids := []int64{}
	for _, a := range doc.Activity {
		if a.Kind != "topic_open" || a.Group == "" || a.At == "" {
			t.Fatalf("export item lacks fields: %+v", a)
		}
		ids = append(ids, a.TopicID)
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids []int64) []int64 {
	out := append([]int64{}, ids...)
	slices.Sort(out)
	return out
}
