package recommend

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// world is a forum on a real database, driven through the domain services with a fixed clock,
// so that two worlds built the same way hold the same rows and give bit-identical suggestions.
type world struct {
	t       *testing.T
	db      *gorm.DB
	forum   *forum.Forum
	privacy *privacy.Service
	engine  *Engine
	now     time.Time
	members map[string]accounts.Member
	groups  map[string]int64
	topics  map[string]int64 // by title
	groupOf map[int64]int64
}

var worldClock = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, db *gorm.DB) *world {
	w := &world{t: t, db: db, now: worldClock, members: map[string]accounts.Member{}, groups: map[string]int64{},
		topics: map[string]int64{}, groupOf: map[int64]int64{}}
	clock := func() time.Time { return w.now }
	w.forum = forum.New(db, site.NewSettings(db), nil)
	w.forum.SetClock(clock)
	w.privacy = privacy.NewService(db, privacy.ControllerInfo{Name: "test"})
	w.privacy.Established = privacy.Established{} // every account counts here; privacy tests the rule
	w.privacy.SetClock(clock)
	w.engine = New(w.forum.Reads, w.privacy)
	w.engine.now = func() time.Time { return worldClock.Add(time.Hour) }
	return w
}

func (w *world) as(name string) context.Context {
	m, ok := w.members[name]
	if !ok {
		w.t.Fatalf("no member %q", name)
	}
	return accounts.WithViewer(context.Background(), accounts.Viewer{Member: m})
}

// member inserts an account directly (no password hashing: these members never log in).
func (w *world) member(name string, role string) {
	w.t.Helper()
	var id int64
	if err := w.db.Raw(`INSERT INTO members (username, username_key, password_hash, role, created_at, password_changed_at)
		VALUES (?, ?, 'x', ?, ?, ?) RETURNING id`, name, name, role, w.now, w.now).Scan(&id).Error; err != nil {
		w.t.Fatal(err)
	}
	w.members[name] = accounts.Member{ID: id, Username: name, Role: role}
}

func (w *world) group(by, name, slug, visibility string) {
	w.t.Helper()
	g, err := w.forum.Groups.CreateGroup(w.as(by), forum.GroupInput{Name: name, Slug: slug, Visibility: visibility, Description: "A group."})
	if err != nil {
		w.t.Fatal(err)
	}
	w.groups[slug] = g.ID
}

func (w *world) join(name, slug string) {
	w.t.Helper()
	if err := w.forum.Groups.Join(w.as(name), slug); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) topic(by, slug, title, body string) int64 {
	w.t.Helper()
	id, err := w.forum.Posts.CreateTopic(w.as(by), slug, forum.PostInput{Title: title, Body: body, SubmitKey: fmt.Sprintf("k-%s-%d", by, len(w.topics))})
	if err != nil {
		w.t.Fatal(err)
	}
	w.topics[title] = id
	w.groupOf[id] = w.groups[slug]
	return id
}

func (w *world) consent(name string, purposes ...string) {
	w.t.Helper()
	for _, p := range purposes {
		if _, err := w.privacy.SetConsent(w.as(name), p, true, privacy.MethodDashboard); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *world) read(name string, titles ...string) {
	w.t.Helper()
	for _, title := range titles {
		id, ok := w.topics[title]
		if !ok {
			w.t.Fatalf("no topic %q", title)
		}
		if _, err := w.privacy.RecordTopicOpen(w.as(name), id, w.groupOf[id]); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *world) suggest(name string) []Suggestion {
	w.t.Helper()
	out, err := w.engine.Suggest(w.as(name))
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func find(list []Suggestion, title string) (Suggestion, bool) {
	for _, s := range list {
		if s.Title == title {
			return s, true
		}
	}
	return Suggestion{}, false
}
