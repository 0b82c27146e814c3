package forum

import (
	"context"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// postPlanter writes topics, posts and reactions at chosen times.
type postPlanter struct {
	t  *testing.T
	db *gorm.DB
}

func (p postPlanter) member(name, role string) int64 {
	var id int64
	p.db.Raw(`INSERT INTO members (username, username_key, password_hash, role, created_at, password_changed_at)
		VALUES (?, ?, 'x', ?, ?, ?) RETURNING id`, name, name, role, time.Now().UTC(), time.Now().UTC()).Scan(&id)
	if id == 0 {
		p.t.Fatalf("member %s not created", name)
	}
	return id
}

// topic starts a topic by author at t and returns it and its opening post.
func (p postPlanter) topic(group, author int64, at time.Time) (topic, opening int64) {
	p.db.Raw(`INSERT INTO topics (group_id, author_id, title, created_at, last_post_at) VALUES (?, ?, 'T', ?, ?) RETURNING id`, group, author, at, at).Scan(&topic)
	return topic, p.post(topic, author, at)
}

func (p postPlanter) post(topic, author int64, at time.Time) int64 {
	var id int64
	p.db.Raw(`INSERT INTO posts (topic_id, author_id, body, created_at) VALUES (?, ?, 'words', ?) RETURNING id`, topic, author, at).Scan(&id)
	return id
}

func (p postPlanter) react(post, member int64, kind string, at time.Time) {
	p.db.Exec(`INSERT INTO reactions (post_id, member_id, kind, created_at) VALUES (?, ?, ?, ?)`, post, member, kind, at)
}

func TestInsightPostFigures(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) // Wednesday; the last week over began Monday 16 Nov
		s := New(db, site.NewSettings(db), nil)
		s.SetClock(func() time.Time { return now })
		p := postPlanter{t, db}
		ann, ben, cat := p.member("ann", "member"), p.member("ben", "member"), p.member("cat", "member")
		admin := p.member("boss", "admin")
		var group, other int64
		db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('calm', 'Calm', 'private', ?) RETURNING id`, now).Scan(&group)
		db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('other', 'Other', 'public', ?) RETURNING id`, now).Scan(&other)
		day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }

		// Answered after 2 h (the author's own reply first does not count as an answer).
		t1, t1open := p.topic(group, ann, day(16, 10, 0))
		p.post(t1, ann, day(16, 10, 30))
		p.post(t1, ben, day(16, 12, 0))
		// Answered after 1 h.
		t2, _ := p.topic(group, ben, day(17, 9, 0))
		t2reply := p.post(t2, cat, day(17, 10, 0))
		// Answered after 30 h: not within a day.
		t3, _ := p.topic(group, cat, day(18, 8, 0))
		p.post(t3, ann, day(19, 14, 0))
		// Never answered.
		p.topic(group, ann, day(19, 12, 0))
		// Its only replies were hidden and deleted: unanswered, and they are not replies.
		t5, _ := p.topic(group, ben, day(20, 9, 0))
		hiddenReply := p.post(t5, cat, day(20, 10, 0))
		db.Exec(`UPDATE posts SET hidden_reason = 'unkind' WHERE id = ?`, hiddenReply)
		deletedReply := p.post(t5, ann, day(20, 11, 0))
		db.Exec(`UPDATE posts SET deleted_at = ? WHERE id = ?`, day(20, 12, 0), deletedReply)
		// A deleted topic and one held for approval count for nothing.
		t6, t6open := p.topic(group, ann, day(18, 9, 0))
		p.post(t6, ben, day(18, 9, 5))
		db.Exec(`UPDATE topics SET deleted_at = ? WHERE id = ?`, day(18, 10, 0), t6)
		t7, t7open := p.topic(group, ann, day(18, 9, 0))
		db.Exec(`UPDATE posts SET held = TRUE WHERE id = ?`, t7open)
		p.post(t7, admin, day(18, 9, 10))
		// Another group, and a week earlier.
		o1, _ := p.topic(other, ann, day(17, 9, 0))
		p.post(o1, ben, day(17, 9, 1))
		e1, e1open := p.topic(group, ann, day(10, 9, 0))
		p.post(e1, ben, day(10, 9, 45))
		// This week: started six hours ago, too young to judge.
		p.topic(group, cat, day(25, 6, 0))

		p.react(t1open, ben, "hear_you", day(16, 11, 0))
		p.react(t1open, cat, "hear_you", day(16, 11, 0))
		p.react(t1open, cat, "strength", day(16, 11, 0))
		p.react(t2reply, ben, "thank_you", day(17, 11, 0))
		p.react(t2reply, ann, "me_too", day(24, 8, 0)) // given this week
		p.react(hiddenReply, ann, "me_too", day(20, 11, 0))
		p.react(t6open, ben, "hear_you", day(18, 9, 30))
		p.react(t7open, ben, "hear_you", day(18, 9, 30))
		p.react(e1open, cat, "strength", day(10, 9, 30))

		ctx := accounts.WithViewer(context.Background(), accounts.Viewer{Member: accounts.Member{ID: admin, Username: "boss", Role: accounts.RoleAdmin}})
		ins, err := s.Reads.GroupInsights(ctx, "calm", 12)
		if err != nil {
			t.Fatal(err)
		}
		if len(ins.Weeks) != 12 || !ins.Weeks[10].Start.Equal(day(16, 0, 0)) {
			t.Fatalf("weeks: %d, the last one over starting %v", len(ins.Weeks), ins.Weeks[10].Start)
		}
		w := ins.Weeks[10]
		if w.NewTopics != 5 || w.Replies != 4 {
			t.Errorf("new topics %d, replies %d; want 5 and 4", w.NewTopics, w.Replies)
		}
		if w.Answered != 3 || w.MedianFirstReply != 2*time.Hour {
			t.Errorf("answered %d, median first reply %v; want 3 and 2h", w.Answered, w.MedianFirstReply)
		}
		if w.DayOld != 5 || w.NoReplyInADay != 3 {
			t.Errorf("no reply within a day: %d of %d, want 3 of 5", w.NoReplyInADay, w.DayOld)
		}
		if want := map[string]int{"hear_you": 2, "strength": 1, "thank_you": 1}; !equalCounts(w.Reactions, want) {
			t.Errorf("reactions %v, want %v", w.Reactions, want)
		}
		early := ins.Weeks[9]
		if early.NewTopics != 1 || early.Replies != 1 || early.MedianFirstReply != 45*time.Minute || !equalCounts(early.Reactions, map[string]int{"strength": 1}) {
			t.Errorf("the week before: %+v", early)
		}
		cur := ins.Weeks[11]
		if cur.NewTopics != 1 || cur.DayOld != 0 || cur.Answered != 0 || !equalCounts(cur.Reactions, map[string]int{"me_too": 1}) {
			t.Errorf("this week: %+v", cur)
		}

		// Only the group's moderators and admins: a member is refused, and a private group stays
		// out of sight of someone who cannot read it.
		memberCtx := accounts.WithViewer(context.Background(), accounts.Viewer{Member: accounts.Member{ID: ann, Username: "ann", Role: "member"}})
		if _, err := s.Reads.GroupInsights(memberCtx, "calm", 12); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("a non-member of the private group: %v", err)
		}
		db.Exec(`INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, 'member', ?)`, group, ann, now)
		if _, err := s.Reads.GroupInsights(memberCtx, "calm", 12); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("a member: %v", err)
		}
		db.Exec(`UPDATE group_members SET role = 'moderator' WHERE member_id = ?`, ann)
		if _, err := s.Reads.GroupInsights(memberCtx, "calm", 12); err != nil {
			t.Errorf("a moderator: %v", err)
		}
	})
}

func equalCounts(got, want map[string]int) bool {
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	for k, v := range got {
		if v != want[k] {
			return false
		}
	}
	return true
}

func TestInsightMedian(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{{nil, 0}, {[]time.Duration{3}, 3}, {[]time.Duration{9, 1, 4}, 4}, {[]time.Duration{10, 2, 4, 8}, 6}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
