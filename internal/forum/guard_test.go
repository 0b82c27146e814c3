package forum_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/throttle"
	"gorm.io/gorm"
)

func (w *inboxWorld) watch(word, action string) {
	w.t.Helper()
	if _, err := w.moderation.AddWatchedWord(w.admin, word, action); err != nil {
		w.t.Fatal(err)
	}
}

func (w *inboxWorld) count(sql string, args ...any) int64 {
	w.t.Helper()
	var n int64
	if err := w.db.Raw(sql, args...).Scan(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

// sees reports whether ctx's member finds the post on its topic page, and whether it shows as held.
func (w *inboxWorld) sees(ctx context.Context, topicID, postID int64) (seen, held bool) {
	w.t.Helper()
	tp, err := w.forum.Posts.TopicPage(ctx, topicID, 1)
	if apperr.Code(err) == apperr.ENOTFOUND {
		return false, false // a topic whose first post is held does not exist for others
	}
	if err != nil {
		w.t.Fatal(err)
	}
	for _, p := range tp.Posts {
		if p.ID == postID {
			return true, p.Held
		}
	}
	return false, false
}

func (w *inboxWorld) listed(ctx context.Context, slug string, topicID int64) bool {
	w.t.Helper()
	gp, err := w.forum.Groups.GroupPage(ctx, slug, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, t := range gp.Topics {
		if t.ID == topicID {
			return true
		}
	}
	return false
}

func (w *inboxWorld) found(ctx context.Context, q string, postID int64) bool {
	w.t.Helper()
	p, err := w.forum.Index.Search(ctx, q, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, r := range p.Results {
		if r.PostID == postID {
			return true
		}
	}
	return false
}

func TestGuardWatchedWordBlockKeepsNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		w.watch("  Buy   NOW ", moderation.WordBlock)
		w.watch("buy", moderation.WordFlag)
		ann := w.joined("ann", "grief")
		topic, _ := w.topic(ann, "grief", "Hello", "A first post.")
		before := w.count(`SELECT COUNT(*) FROM posts`)
		want := "Your post contains “buy now”, which isn't allowed here. Your text is kept below: edit it and post again."
		_, err := w.forum.Posts.CreateTopic(ann, "grief", forum.PostInput{Title: "Deals", Body: "Buy now!"})
		if e, ok := apperr.As(err); !ok || e.Fields["body"] != want {
			t.Errorf("topic with a blocked phrase: %v", err)
		}
		_, err = w.forum.Posts.Reply(ann, topic, forum.PostInput{Body: "Please\nBUY   now, friends"})
		if e, ok := apperr.As(err); !ok || e.Fields["body"] != want {
			t.Errorf("reply with a blocked phrase: %v", err)
		}
		if n := w.count(`SELECT COUNT(*) FROM posts`); n != before {
			t.Errorf("%d posts stored after refusals, want %d", n, before)
		}
		if n := w.count(`SELECT COUNT(*) FROM queue_items`); n != 0 {
			t.Errorf("%d queue items after refusals", n)
		}
		// On word boundaries only.
		w.reply(ann, topic, forum.PostInput{Body: "I bought nowhere near enough; a buyer came"})
		if n := w.count(`SELECT COUNT(*) FROM queue_items`); n != 0 {
			t.Errorf("a word inside another word was caught: %d items", n)
		}
	})
}

func TestGuardHoldHidesUntilApproved(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		w.watch("pills", moderation.WordHold)
		ann, ben := w.joined("ann", "grief"), w.joined("ben", "grief")
		mod := w.joined("mia", "grief")
		if err := w.forum.Groups.SetModerator(w.admin, "grief", "mia", true); err != nil {
			t.Fatal(err)
		}
		topic, _ := w.topic(ann, "grief", "Sleepless", "The nights are long.")
		held := w.reply(ben, topic, forum.PostInput{Body: "Cheap Pills marigold here"})
		heldTopic, heldFirst := w.topic(ben, "grief", "About pills", "Marigold topic text.")

		if seen, _ := w.sees(ann, topic, held); seen {
			t.Error("another member sees a held reply")
		}
		if w.listed(ann, "grief", heldTopic) {
			t.Error("another member sees a topic whose first post is held")
		}
		if w.found(ann, "marigold", held) || w.found(w.admin, "marigold", heldFirst) {
			t.Error("a held post is searchable")
		}
		if seen, isHeld := w.sees(ben, topic, held); !seen || !isHeld {
			t.Errorf("the author: seen %v, held %v", seen, isHeld)
		}
		if !w.listed(ben, "grief", heldTopic) || !w.listed(mod, "grief", heldTopic) {
			t.Error("the author or a moderator does not see the held topic in the list")
		}
		if seen, _ := w.sees(mod, topic, held); !seen {
			t.Error("a moderator does not see the held reply")
		}
		if len(w.list(ann)) != 0 {
			t.Errorf("a held reply notified: %v", texts(w.list(ann)))
		}
		if n := w.count(`SELECT COUNT(*) FROM queue_items WHERE kind = 'held' AND status = 'pending'`); n != 2 {
			t.Errorf("%d held items, want 2", n)
		}

		// A post held from a member's sight is not there for her at all, as if it did not exist.
		if err := w.moderation.ApprovePost(ann, held, "fine"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("a member approved: %v", err)
		}
		if err := w.moderation.ApprovePost(mod, held, " "); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("approved without a reason: %v", err)
		}
		if err := w.moderation.ApprovePost(mod, held, "Pharmacy talk is fine here"); err != nil {
			t.Fatal(err)
		}
		if err := w.moderation.ApprovePost(mod, held, "again"); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("approved twice: %v", err)
		}
		if seen, isHeld := w.sees(ann, topic, held); !seen || isHeld {
			t.Errorf("after approval another member: seen %v, held %v", seen, isHeld)
		}
		if !w.found(ann, "marigold", held) {
			t.Error("an approved post is not searchable")
		}
		if got := texts(w.list(ann)); len(got) != 1 || !strings.Contains(got[0], "ben") {
			t.Errorf("topic author's notifications after approval: %v", got)
		}
		if n := w.count(`SELECT COUNT(*) FROM moderation_log WHERE action = ? AND target_id = ? AND reason = ?`,
			moderation.ActionApprovePost, held, "Pharmacy talk is fine here"); n != 1 {
			t.Errorf("%d log entries for the approval", n)
		}
		if n := w.count(`SELECT COUNT(*) FROM queue_items WHERE post_id = ? AND status = 'pending'`, held); n != 0 {
			t.Errorf("%d items still pending for the approved post", n)
		}

		// Rejecting is deleting; the topic stays out of others' sight.
		if err := w.moderation.DeletePost(w.admin, heldFirst, "Not for this group"); err != nil {
			t.Fatal(err)
		}
		if err := w.moderation.ApprovePost(w.admin, heldFirst, "changed my mind"); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("approved a deleted post: %v", err)
		}
		if w.listed(ann, "grief", heldTopic) {
			t.Error("a rejected topic is listed")
		}
	})
}

func TestGuardFlagPublishesAndQueues(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		w.watch("miracle cure", moderation.WordFlag)
		w.watch("cure", moderation.WordFlag)
		w.watch("pills", moderation.WordHold)
		w.watch("casino", moderation.WordBlock)
		ann, ben := w.joined("ann", "grief"), w.joined("ben", "grief")
		topic, post := w.topic(ann, "grief", "A Miracle CURE?", "Has anyone tried it?")
		if seen, _ := w.sees(ben, topic, post); !seen {
			t.Error("a flagged post is not published")
		}
		var details []string
		db.Raw(`SELECT detail FROM queue_items WHERE post_id = ? AND kind = 'report' AND status = 'pending'`, post).Scan(&details)
		if len(details) != 1 || !strings.Contains(details[0], "cure") {
			t.Errorf("flag items: %q", details)
		}
		// Hold wins over flag, block over both.
		held := w.reply(ann, topic, forum.PostInput{Body: "A cure with pills"})
		if seen, _ := w.sees(ben, topic, held); seen {
			t.Error("hold did not win over flag")
		}
		if _, err := w.forum.Posts.Reply(ann, topic, forum.PostInput{Body: "cure pills casino"}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("block did not win: %v", err)
		}
	})
}

func TestGuardHoldFirstPosts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		ann := w.joined("ann", "grief")
		if err := w.forum.Groups.SetHoldFirstPosts(ann, "grief", 2); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("a member set holding: %v", err)
		}
		if err := w.forum.Groups.SetHoldFirstPosts(w.admin, "grief", 51); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("51 accepted: %v", err)
		}
		if err := w.forum.Groups.SetHoldFirstPosts(w.admin, "grief", 2); err != nil {
			t.Fatal(err)
		}
		if n, err := w.forum.Groups.HoldFirstPosts(w.admin, "grief"); err != nil || n != 2 {
			t.Errorf("HoldFirstPosts = %d, %v", n, err)
		}
		ben := w.joined("ben", "grief")
		topic, first := w.topic(ben, "grief", "Hello all", "My first post.")
		if seen, _ := w.sees(ann, topic, first); seen {
			t.Fatal("first post not held")
		}
		// Still held while the first is waiting: only published posts count.
		second := w.reply(ben, topic, forum.PostInput{Body: "Second."})
		if seen, _ := w.sees(ann, topic, second); seen {
			t.Fatal("second post not held")
		}
		for _, id := range []int64{first, second} {
			if err := w.moderation.ApprovePost(w.admin, id, "welcome"); err != nil {
				t.Fatal(err)
			}
		}
		third := w.reply(ben, topic, forum.PostInput{Body: "Third."})
		if seen, isHeld := w.sees(ann, topic, third); !seen || isHeld {
			t.Errorf("third post: seen %v, held %v", seen, isHeld)
		}

		// Moderators and admins are never held, not even by a hold word.
		w.watch("pills", moderation.WordHold)
		mia := w.joined("mia", "grief")
		if err := w.forum.Groups.SetModerator(w.admin, "grief", "mia", true); err != nil {
			t.Fatal(err)
		}
		if err := w.forum.Groups.Join(w.admin, "grief"); err != nil {
			t.Fatal(err)
		}
		for _, ctx := range []context.Context{mia, w.admin} {
			id := w.reply(ctx, topic, forum.PostInput{Body: "A word about pills."})
			if seen, isHeld := w.sees(ann, topic, id); !seen || isHeld {
				t.Errorf("a moderator's or admin's post was held")
			}
		}
	})
}

func TestGuardRateLimitKeepsTextAndStoresNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		limits := forum.DefaultPostLimits
		limits.NewTopics = throttle.Limit{Max: 2, Window: time.Hour}
		limits.NewReplies = throttle.Limit{Max: 3, Window: time.Hour}
		limits.Topics = throttle.Limit{Max: 4, Window: time.Hour}
		w.forum.WithPostLimits([]byte("test key"), limits)
		ann := w.joined("ann", "grief")
		var topic int64
		for i := 0; i < 2; i++ {
			topic, _ = w.topic(ann, "grief", "Topic title", "Some text.")
		}
		posts := w.count(`SELECT COUNT(*) FROM posts`)
		_, err := w.forum.Posts.CreateTopic(ann, "grief", forum.PostInput{Title: "One more", Body: "Kept text."})
		msg := ""
		if e, ok := apperr.As(err); ok {
			msg = e.Fields["body"]
		}
		if !strings.HasPrefix(msg, "You're posting faster than Haven allows for now (new accounts have lower limits). Please try again in ") ||
			!strings.HasSuffix(msg, " minutes. Your text is kept.") && !strings.HasSuffix(msg, " minute. Your text is kept.") {
			t.Fatalf("third topic: %v", err)
		}
		if n := w.count(`SELECT COUNT(*) FROM posts`); n != posts {
			t.Errorf("the refused topic was stored")
		}
		// Replies count separately.
		for i := 0; i < 3; i++ {
			w.reply(ann, topic, forum.PostInput{Body: "A reply."})
		}
		if _, err := w.forum.Posts.Reply(ann, topic, forum.PostInput{Body: "One reply too many."}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("fourth reply: %v", err)
		}
		// Older accounts get the higher limits.
		old := w.member("old_timer", accounts.RoleMember)
		db.Exec(`UPDATE members SET created_at = ? WHERE username = 'old_timer'`, time.Now().Add(-8*24*time.Hour))
		if err := w.forum.Groups.Join(old, "grief"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i++ {
			w.topic(old, "grief", "An old hand", "Text.")
		}
		if _, err := w.forum.Posts.CreateTopic(old, "grief", forum.PostInput{Title: "Fifth", Body: "Text."}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("fifth topic of an older account: %v", err)
		}
		// Nothing names the member: hashed counters only, no activity.
		if n := w.count(`SELECT COUNT(*) FROM throttle_hits WHERE bucket LIKE '%post%'`); n != 0 {
			t.Error("a throttle bucket is stored unhashed")
		}
		if n := w.count(`SELECT COUNT(*) FROM activity_events`); n != 0 {
			t.Errorf("%d activity events stored", n)
		}
	})
}

// Staff are never held to the new-account tier: an admin setting up a forum, or a group's new
// moderator, posts under the ordinary limits; a new member still gets the lower ones.
func TestGuardStaffAreNotNewAccounts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		limits := forum.DefaultPostLimits
		limits.NewTopics = throttle.Limit{Max: 2, Window: time.Hour}
		limits.Topics = throttle.Limit{Max: 4, Window: time.Hour}
		w.forum.WithPostLimits([]byte("test key"), limits)
		mod := w.joined("new_mod", "grief")
		if err := w.forum.Groups.SetModerator(w.admin, "grief", "new_mod", true); err != nil {
			t.Fatal(err)
		}
		if err := w.forum.Groups.Join(w.admin, "grief"); err != nil {
			t.Fatal(err)
		}
		for _, staff := range []context.Context{w.admin, mod} {
			for i := range 4 {
				if _, err := w.forum.Posts.CreateTopic(staff, "grief", forum.PostInput{Title: "Setting up the group", Body: fmt.Sprint("Welcome post ", i)}); err != nil {
					t.Fatalf("staff topic %d: %v", i+1, err)
				}
			}
			_, err := w.forum.Posts.CreateTopic(staff, "grief", forum.PostInput{Title: "One too many", Body: "Text."})
			if e, ok := apperr.As(err); !ok || e.Fields["body"] == "" || strings.Contains(e.Fields["body"], "new accounts") {
				t.Errorf("fifth staff topic: %v, want the ordinary limit without a word about new accounts", err)
			}
		}
		ann := w.joined("ann", "grief")
		w.topic(ann, "grief", "Topic title", "Some text.")
		w.topic(ann, "grief", "Topic title", "Some text.")
		_, err := w.forum.Posts.CreateTopic(ann, "grief", forum.PostInput{Title: "Third", Body: "Text."})
		if e, ok := apperr.As(err); !ok || !strings.Contains(e.Fields["body"], "new accounts have lower limits") {
			t.Errorf("a new member's third topic: %v", err)
		}
	})
}
