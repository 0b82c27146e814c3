package recommend

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

var communityTopics = [][2]string{
	{"Alpha morning walks", "Walking outside at sunrise."},
	{"Baking bread on Sundays", "Kneading dough slowly."},
	{"Chess puzzles at night", "Thinking through puzzles."},
	{"Drawing with charcoal", "Sketching faces."},
	{"Evening swims", "Swimming laps."},
	{"Fishing by the river", "Quiet riverbank."},
}

var others = []string{"ul_admin", "ul_writer", "ul_v1", "ul_v2", "ul_c1", "ul_c2", "ul_c3", "ul_c4", "ul_c5", "ul_n1"}

// buildCommunity makes the same forum in any database: contributors c1–c4 read Alpha, Chess
// and Drawing, c5 reads Alpha and Drawing, n1 reads Alpha and Chess without contributing. So
// "Alpha → Drawing" rests on 5 contributors and "Alpha → Chess" on 4. With u, one more
// contributor reads Alpha and Chess (their events dated back by uAge).
func buildCommunity(t *testing.T, db *gorm.DB, withU bool, uAge time.Duration) *world {
	w := newWorld(t, db)
	w.member("ul_admin", accounts.RoleAdmin)
	for _, name := range others[1:] {
		w.member(name, accounts.RoleMember)
	}
	w.group("ul_admin", "Together", "together", "public")
	for _, name := range others[1:] {
		w.join(name, "together")
	}
	for _, tp := range communityTopics {
		w.topic("ul_writer", "together", tp[0], tp[1])
	}
	w.consent("ul_v1", privacy.PersonalizedRecommendations, privacy.ReadingHistory)
	w.consent("ul_v2", privacy.PersonalizedRecommendations, privacy.ReadingHistory)
	for _, c := range []string{"ul_c1", "ul_c2", "ul_c3", "ul_c4", "ul_c5"} {
		w.consent(c, privacy.ReadingHistory, privacy.CommunitySignals)
	}
	w.consent("ul_n1", privacy.ReadingHistory)
	for _, c := range []string{"ul_c1", "ul_c2", "ul_c3", "ul_c4"} {
		w.read(c, "Alpha morning walks", "Chess puzzles at night", "Drawing with charcoal")
	}
	w.read("ul_c5", "Alpha morning walks", "Drawing with charcoal")
	w.read("ul_n1", "Alpha morning walks", "Chess puzzles at night")
	w.read("ul_v1", "Alpha morning walks")
	w.read("ul_v2", "Fishing by the river")
	if withU {
		w.member("ul_u", accounts.RoleMember)
		w.join("ul_u", "together")
		w.consent("ul_u", privacy.ReadingHistory, privacy.CommunitySignals)
		w.now = worldClock.Add(-uAge)
		w.read("ul_u", "Alpha morning walks", "Chess puzzles at night")
		w.now = worldClock
	}
	return w
}

// twoDatabases calls fn on each database kind with two fresh, migrated databases.
func twoDatabases(t *testing.T, fn func(t *testing.T, a, b *gorm.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, dbtest.SQLite(t), dbtest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, dbtest.Postgres(t), dbtest.Postgres(t)) })
}

// Exact unlearning: member U contributes to "members who read this also read" and then
// withdraws, erases, lets their events expire or deletes their account; every other member's
// suggestions must then be exactly those of a database where U never existed.
func TestCommunityUnlearningIsExact(t *testing.T) {
	t.Parallel()
	undo := map[string]func(w *world){
		"erase everything": func(w *world) {
			if _, err := w.privacy.EraseAll(w.as("ul_u")); err != nil {
				t.Fatal(err)
			}
		},
		"switch community signals off": func(w *world) {
			if _, err := w.privacy.SetConsent(w.as("ul_u"), privacy.CommunitySignals, false, privacy.MethodDashboard); err != nil {
				t.Fatal(err)
			}
		},
		"switch reading history off": func(w *world) {
			if _, err := w.privacy.SetConsent(w.as("ul_u"), privacy.ReadingHistory, false, privacy.MethodDashboard); err != nil {
				t.Fatal(err)
			}
		},
		"events expire": func(w *world) {
			if _, err := w.privacy.PurgeExpired(w.as("ul_u")); err != nil {
				t.Fatal(err)
			}
		},
		"delete the account": func(w *world) {
			err := w.db.Transaction(func(tx *gorm.DB) error {
				return accounts.Remove(w.as("ul_u"), tx, w.members["ul_u"].ID, w.forum.Posts.EraseMember(true), w.privacy.EraseMember)
			})
			if err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, fn := range undo {
		t.Run(name, func(t *testing.T) {
			twoDatabases(t, func(t *testing.T, dbA, dbB *gorm.DB) {
				age := time.Duration(0)
				if name == "events expire" {
					age = 100 * 24 * time.Hour // past the default 90-day retention
				}
				a := buildCommunity(t, dbA, true, age)
				b := buildCommunity(t, dbB, false, 0)
				if name == "events expire" { // the purge runs in both: it must change nothing else
					if _, err := b.privacy.PurgeExpired(b.as("ul_v1")); err != nil {
						t.Fatal(err)
					}
				}

				// Before: U's contribution lifts "Alpha → Chess" from 4 to 5 contributors.
				chessA, _ := find(a.suggest("ul_v1"), "Chess puzzles at night")
				chessB, _ := find(b.suggest("ul_v1"), "Chess puzzles at night")
				if chessA.Layer != LayerCommunity || chessA.Reason != "Members who read “Alpha morning walks” also read this" ||
					chessA.ReasonURL != fmt.Sprintf("/privacy#signal-%d", a.topics["Alpha morning walks"]) {
					t.Errorf("with 5 contributors (U among them), Chess: %+v", chessA)
				}
				if chessB.Layer == LayerCommunity {
					t.Errorf("with 4 contributors, Chess came from the community layer: %+v", chessB)
				}
				for _, w := range []*world{a, b} { // 5 contributors without U: used in both
					if d, _ := find(w.suggest("ul_v1"), "Drawing with charcoal"); d.Layer != LayerCommunity {
						t.Errorf("Drawing with 5 contributors: %+v", d)
					}
				}

				fn(a)
				for _, m := range others {
					got, want := a.suggest(m), b.suggest(m)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s after U's %s:\n got  %+v\n want %+v", m, name, got, want)
					}
				}
			})
		})
	}
}

// The k threshold at the reader itself: a pair is returned only with at least K contributors,
// and members whose consents are not both on never count, nor does the viewer.
func TestCoReadThreshold(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := buildCommunity(t, db, false, 0)
		alpha := w.topics["Alpha morning walks"]
		pairs, err := w.privacy.Readers.CoReadFor(w.as("ul_v1"), w.members["ul_v1"].ID, []int64{alpha}, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := []privacy.CoRead{{SeedID: alpha, TopicID: w.topics["Drawing with charcoal"], Contributors: 5}}
		if !reflect.DeepEqual(pairs, want) {
			t.Errorf("pairs = %+v, want %+v", pairs, want)
		}
		// A fifth contributor reading Chess three days after Alpha does not co-read them ...
		w.now = worldClock.Add(72 * time.Hour)
		w.read("ul_c5", "Chess puzzles at night")
		w.now = worldClock
		pairs, _ = w.privacy.Readers.CoReadFor(w.as("ul_v1"), w.members["ul_v1"].ID, []int64{alpha}, 100)
		if len(pairs) != 1 {
			t.Errorf("a read three days apart counted as co-reading: %+v", pairs)
		}
		// ... but within a day it does, and reaches 5 for Chess.
		w.read("ul_c5", "Chess puzzles at night")
		pairs, _ = w.privacy.Readers.CoReadFor(w.as("ul_v1"), w.members["ul_v1"].ID, []int64{alpha}, 100)
		if len(pairs) != 2 {
			t.Errorf("after a fifth contributor read Chess: %+v", pairs)
		}
		// Without the viewer's own "Personalized suggestions", nothing.
		if pairs, _ := w.privacy.Readers.CoReadFor(w.as("ul_c1"), w.members["ul_c1"].ID, []int64{alpha}, 100); len(pairs) != 0 {
			t.Errorf("viewer without personalization got %+v", pairs)
		}
	})
}

// Property: over random groups, memberships, readings and consents, no member is ever suggested
// a topic outside the groups they belong to (so never a private group's topic to a non-member),
// never their own, whatever layer it comes from.
func TestSuggestionsNeverLeaveTheMembersGroups(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		rounds := 3
		if db.Dialector.Name() == "postgres" {
			rounds = 1
		}
		for round := 0; round < rounds; round++ {
			checkRandomWorld(t, db, round)
		}
	})
}

func checkRandomWorld(t *testing.T, db *gorm.DB, round int) {
	rng := rand.New(rand.NewPCG(uint64(round), 7))
	w := newWorld(t, db)
	prefix := fmt.Sprintf("r%d_", round)
	admin := prefix + "admin"
	w.member(admin, accounts.RoleAdmin)
	words := []string{"sleep", "grief", "tired", "hope", "walks", "family", "work", "anxious", "music", "garden"}
	var slugs []string
	for g := 0; g < 4; g++ {
		vis := "public"
		if g%2 == 1 {
			vis = "private"
		}
		slug := fmt.Sprintf("r%d-g%d", round, g)
		w.group(admin, "Group "+slug, slug, vis)
		slugs = append(slugs, slug)
	}
	var names []string
	memberOf := map[string]map[int64]bool{}
	for i := 0; i < 14; i++ {
		name := fmt.Sprintf("%sm%d", prefix, i)
		w.member(name, accounts.RoleMember)
		names = append(names, name)
		memberOf[name] = map[int64]bool{}
		for _, slug := range slugs {
			if rng.IntN(2) == 0 {
				if err := w.db.Exec(`INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, 'member', ?)`,
					w.groups[slug], w.members[name].ID, w.now).Error; err != nil {
					t.Fatal(err)
				}
				memberOf[name][w.groups[slug]] = true
			}
		}
		w.consent(name, privacy.ReadingHistory, privacy.CommunitySignals, privacy.PersonalizedRecommendations)
	}
	var topics []int64
	authorOf := map[int64]string{}
	for i := 0; i < 30; i++ {
		author := names[rng.IntN(len(names))]
		var in []string
		for _, slug := range slugs {
			if memberOf[author][w.groups[slug]] {
				in = append(in, slug)
			}
		}
		if len(in) == 0 {
			continue
		}
		title := fmt.Sprintf("%s %s and %s %d", prefix, words[rng.IntN(len(words))], words[rng.IntN(len(words))], i)
		id := w.topic(author, in[rng.IntN(len(in))], title, words[rng.IntN(len(words))]+" "+words[rng.IntN(len(words))])
		topics = append(topics, id)
		authorOf[id] = author
	}
	// Everyone reads many topics of groups they belong to, and some members have since left a
	// group (their old reads stay in their history).
	for _, name := range names {
		for _, id := range topics {
			if memberOf[name][w.groupOf[id]] && rng.IntN(2) == 0 {
				if _, err := w.privacy.RecordTopicOpen(w.as(name), id, w.groupOf[id]); err != nil {
					t.Fatal(err)
				}
			}
		}
		for gid := range memberOf[name] {
			if rng.IntN(4) == 0 {
				if err := w.db.Exec(`DELETE FROM group_members WHERE group_id = ? AND member_id = ?`, gid, w.members[name].ID).Error; err != nil {
					t.Fatal(err)
				}
				delete(memberOf[name], gid)
			}
		}
	}
	for _, name := range names {
		got := w.suggest(name)
		for _, s := range got {
			if !memberOf[name][w.groupOf[s.TopicID]] {
				t.Errorf("round %d: %s was suggested %q (%s) from a group they are not in", round, name, s.Title, s.Layer)
			}
			if authorOf[s.TopicID] == name {
				t.Errorf("round %d: %s was suggested their own topic %q", round, name, s.Title)
			}
		}
	}
}
