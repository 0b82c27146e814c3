package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// addPost writes a post straight into the forum's table and returns its id.
func addPost(t *testing.T, db *gorm.DB, topicID int64, author context.Context, held bool) int64 {
	t.Helper()
	v, _ := accounts.ViewerFrom(author)
	var id int64
	if err := db.Raw(`INSERT INTO posts (topic_id, author_id, body, created_at, held) VALUES (?, ?, 'text', ?, ?) RETURNING id`,
		topicID, v.ID, time.Now().UTC(), held).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func position(t *testing.T, db *gorm.DB, ctx context.Context, topicID int64) int64 {
	t.Helper()
	v, _ := accounts.ViewerFrom(ctx)
	var ids []int64
	db.Raw(`SELECT last_read_post_id FROM read_positions WHERE member_id = ? AND topic_id = ?`, v.ID, topicID).Scan(&ids)
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

// A read position is written only through the reading-history gate, only forward, and goes at
// once when the purpose is switched off.
func TestReadPositionsOnlyWithConsent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "positioned")
		if wrote := must(s.RecordTopicRead(ctx, topic, g, 7)); wrote || readPositions(t, db) != 0 {
			t.Fatal("a read position was stored without consent")
		}
		for _, p := range []string{privacy.PersonalizedRecommendations, privacy.CommunitySignals, privacy.CommunityInsights} {
			must(s.SetConsent(ctx, p, true, privacy.MethodDashboard))
		}
		s.RecordTopicRead(ctx, topic, g, 7)
		if n := readPositions(t, db); n != 0 {
			t.Fatalf("%d read positions under other purposes than reading history", n)
		}
		must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		s.RecordTopicRead(privacy.WithGPC(ctx), topic, g, 7)
		if n := readPositions(t, db); n != 0 {
			t.Fatal("a read position was stored for a request with Global Privacy Control")
		}
		s.RecordTopicRead(ctx, topic, g, 7)
		s.RecordTopicRead(ctx, topic, g, 3) // an earlier page read again: the position stays
		if p := position(t, db, ctx, topic); p != 7 {
			t.Errorf("position %d, want 7", p)
		}
		s.RecordTopicRead(ctx, topic, g, 9)
		if p := position(t, db, ctx, topic); p != 9 {
			t.Errorf("position %d, want 9", p)
		}
		list := must(s.Reading.ReadPositions(ctx))
		if len(list) != 1 || list[0].TopicTitle != "T" || list[0].GroupName != "G" || list[0].LastReadPostID != 9 {
			t.Errorf("dashboard list: %+v", list)
		}
		must(s.SetConsent(ctx, privacy.ReadingHistory, false, privacy.MethodDashboard))
		if n := readPositions(t, db); n != 0 {
			t.Errorf("%d read positions survive switching reading history off", n)
		}
		s.RecordTopicRead(ctx, topic, g, 12)
		if n := readPositions(t, db); n != 0 {
			t.Errorf("%d read positions written with reading history off", n)
		}
		// Agreeing again to wording that has since changed is needed: a lapsed consent writes nothing.
		must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		db.Exec(`UPDATE consents SET version = version - 1 WHERE purpose = ?`, privacy.ReadingHistory)
		s.RecordTopicRead(ctx, topic, g, 12)
		if n := readPositions(t, db); n != 0 {
			t.Errorf("%d read positions written under a lapsed consent", n)
		}
	})
}

// Queued positions pass the gate when they are written, like the opens they come with.
func TestBatchedReadPositionsPassTheGate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "batched_pos")
		runCtx, stop := context.WithCancel(context.Background())
		stopped := s.StartBatching(runCtx, time.Hour, nil)
		defer func() { stop(); <-stopped }()
		must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		s.RecordTopicRead(ctx, topic, g, 5)
		s.RecordTopicRead(ctx, topic, g, 8)
		if n := readPositions(t, db); n != 0 {
			t.Fatal("written before the flush: the queue is not in use")
		}
		if n := must(s.Reading.ReadPositionCount(ctx)); n != 1 || position(t, db, ctx, topic) != 8 {
			t.Errorf("after the flush: %d positions at %d, want one at 8", n, position(t, db, ctx, topic))
		}
		s.RecordTopicRead(ctx, topic, g, 10)
		must(s.SetConsent(ctx, privacy.ReadingHistory, false, privacy.MethodDashboard))
		s.Flush(context.Background())
		if n := readPositions(t, db); n != 0 {
			t.Errorf("a queued position was written after the withdrawal: %d", n)
		}
		must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		s.RecordTopicRead(ctx, topic, g, 11)
		time.Sleep(5 * time.Millisecond)
		must(s.EraseAll(ctx))
		s.Flush(context.Background())
		if n := readPositions(t, db); n != 0 {
			t.Errorf("a queued position came back after the erasure: %d", n)
		}
	})
}

// Read positions go with erase-all, one by one, with retention and with the account.
func TestReadPositionsAreErased(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "eraser")
		other, og, ot := fixture(t, db, "eraser_other")
		for _, c := range []context.Context{ctx, other} {
			must(s.SetConsent(c, privacy.ReadingHistory, true, privacy.MethodDashboard))
		}
		s.RecordTopicRead(other, ot, og, 4)
		s.RecordTopicRead(ctx, topic, g, 4)
		if n := must(s.EraseAll(ctx)); n != 2 {
			t.Errorf("erase-all reported %d items, want the open and the position", n)
		}
		if position(t, db, ctx, topic) != 0 || position(t, db, other, ot) != 4 {
			t.Error("erase-all left the member's position or took another member's")
		}

		s.RecordTopicRead(ctx, topic, g, 4)
		if _, err := s.Reading.DeleteReadPosition(other, topic); err == nil {
			t.Error("a member deleted another member's read position")
		}
		if n := must(s.Reading.DeleteReadPosition(ctx, topic)); n != 1 || position(t, db, ctx, topic) != 0 {
			t.Errorf("deleting one position: %d", n)
		}
		var listed int64
		db.Raw(`SELECT COUNT(*) FROM erasures WHERE kind = 'read_position'`).Scan(&listed)
		if listed != 1 {
			t.Errorf("%d erasure-list entries for the deleted position", listed)
		}

		// Retention: a position not moved for longer than the member keeps their record goes.
		s.RecordTopicRead(ctx, topic, g, 4)
		db.Exec(`UPDATE read_positions SET read_at = ?`, time.Now().UTC().Add(-100*24*time.Hour))
		must(s.PurgeExpired(context.Background()))
		if position(t, db, ctx, topic) != 0 || position(t, db, other, ot) != 0 {
			t.Error("the purge left read positions older than the retention")
		}
		s.RecordTopicRead(ctx, topic, g, 4)
		db.Exec(`UPDATE read_positions SET read_at = ?`, time.Now().UTC().Add(-40*24*time.Hour))
		if err := s.SetRetentionDays(ctx, 30); err != nil {
			t.Fatal(err)
		}
		if position(t, db, ctx, topic) != 0 {
			t.Error("shortening the retention left an older read position")
		}

		// The account: its privacy part takes every position.
		s.RecordTopicRead(ctx, topic, g, 4)
		me, _ := accounts.ViewerFrom(ctx)
		if err := db.Transaction(func(tx *gorm.DB) error { return s.EraseMember(context.Background(), tx, me.ID) }); err != nil {
			t.Fatal(err)
		}
		if n := readPositions(t, db); n != 0 {
			t.Errorf("%d read positions survive the account's erasure", n)
		}
	})
}

// Unread counts: posts by others after the position, readable ones only, and nothing at all
// with reading history off.
func TestUnreadCounts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "unread_reader")
		other, _, otherTopic := fixture(t, db, "unread_writer")
		first := addPost(t, db, topic, other, false)
		addPost(t, db, otherTopic, other, false)
		addPost(t, db, otherTopic, other, false)
		// An opening post and one reply readable, as forum keeps them on write; the reply count also
		// counts a held and a deleted post, which "new" must never hint at.
		db.Exec(`UPDATE topics SET reply_count = 3, visible_posts = 2 WHERE id = ?`, otherTopic)

		if u := must(s.Reading.UnreadIn(ctx, []int64{topic, otherTopic})); u.On || len(u.Topics) != 0 {
			t.Fatalf("counts with reading history off: %+v", u)
		}
		must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		u := must(s.Reading.UnreadIn(ctx, []int64{topic, otherTopic}))
		if !u.On || u.Topics[otherTopic].Opened || u.Topics[otherTopic].New != 2 || u.Topics[topic].New != 1 {
			t.Fatalf("never opened: %+v", u)
		}
		s.RecordTopicRead(ctx, topic, g, first)
		if u := must(s.Reading.UnreadIn(ctx, []int64{topic})); !u.On || u.Topics[topic].New != 0 {
			t.Errorf("after reading: %+v", u)
		}
		if ids, _ := must2(s.Reading.ContinueReading(ctx, 5)); len(ids) != 0 {
			t.Errorf("continue reading lists a read topic: %v", ids)
		}
		addPost(t, db, topic, ctx, false)  // the member's own reply is not news to them
		addPost(t, db, topic, other, true) // held: nobody else reads it yet
		reply := addPost(t, db, topic, other, false)
		gone := addPost(t, db, topic, other, false)
		db.Exec(`UPDATE posts SET deleted_at = ? WHERE id = ?`, time.Now().UTC(), gone)
		u = must(s.Reading.UnreadIn(ctx, []int64{topic}))
		if got := u.Topics[topic]; !got.Opened || got.New != 1 {
			t.Errorf("after a reply: %+v, want 1 new", got)
		}
		one, on := must2(s.Reading.UnreadInTopic(ctx, topic))
		if !on || one.FirstUnread != reply || one.Before != 3 {
			t.Errorf("in the topic: %+v (on %v), want post %d after 3 posts", one, on, reply)
		}
		ids, unread := must2(s.Reading.ContinueReading(ctx, 5))
		if len(ids) != 1 || ids[0] != topic || unread[topic].New != 1 {
			t.Errorf("continue reading: %v %+v", ids, unread)
		}
		// Another member never sees this member's positions: their own counts only.
		must(s.SetConsent(other, privacy.ReadingHistory, true, privacy.MethodDashboard))
		if ids, _ := must2(s.Reading.ContinueReading(other, 5)); len(ids) != 0 {
			t.Errorf("another member's continue list: %v", ids)
		}
		if u := must(s.Reading.UnreadIn(other, []int64{topic})); u.Topics[topic].Opened {
			t.Errorf("another member sees this member's position: %+v", u)
		}
		must(s.SetConsent(ctx, privacy.ReadingHistory, false, privacy.MethodDashboard))
		if u := must(s.Reading.UnreadIn(ctx, []int64{topic})); u.On || len(u.Topics) != 0 {
			t.Errorf("counts after switching off: %+v", u)
		}
		if ids, _ := must2(s.Reading.ContinueReading(ctx, 5)); len(ids) != 0 {
			t.Errorf("continue reading after switching off: %v", ids)
		}
	})
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

// A list read writes the viewer's own queued positions first (they see where they stopped), but
// not everyone else's: another member's list page leaves the queue to its batch.
func TestListReadsFlushOnlyTheViewersQueue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "queue_reader")
		other, _, _ := fixture(t, db, "queue_other")
		runCtx, stop := context.WithCancel(context.Background())
		stopped := s.StartBatching(runCtx, time.Hour, nil)
		defer func() { stop(); <-stopped }()
		must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		s.RecordTopicRead(ctx, topic, g, 5)
		must(s.Reading.UnreadIn(other, []int64{topic}))
		must2(s.Reading.ContinueReading(other, 5))
		if n := readPositions(t, db); n != 0 {
			t.Errorf("another member's list page wrote the queue: %d positions", n)
		}
		if u := must(s.Reading.UnreadIn(ctx, []int64{topic})); !u.Topics[topic].Opened {
			t.Errorf("the reader's own list does not see their queued position: %+v", u)
		}
		if n := readPositions(t, db); n != 1 {
			t.Errorf("after the reader's own list read: %d positions, want 1", n)
		}
	})
}
