package forum_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

func (w *inboxWorld) follow(ctx context.Context, topicID int64, on bool) {
	w.t.Helper()
	if err := w.forum.Follows.Follow(ctx, topicID, on); err != nil {
		w.t.Fatal(err)
	}
}

// follows is what the topic page tells the viewer: whether they follow it.
func (w *inboxWorld) follows(ctx context.Context, topicID int64) bool {
	w.t.Helper()
	page, err := w.forum.Posts.TopicPage(ctx, topicID, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	return page.Following
}

func kinds(items []forum.Notification) []string {
	out := make([]string, len(items))
	for i, n := range items {
		out[i] = n.Kind
	}
	return out
}

func TestFollowersHearRepliesButNotTheirOwnNorMutedAuthors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		stone, river, fern, leaf := w.joined("stone", "grief"), w.joined("quiet_river", "grief"), w.joined("fern", "grief"), w.joined("leaf", "grief")
		reader := w.member("reader", accounts.RoleMember) // reads the public group without joining
		topicID, _ := w.topic(stone, "grief", "Sleepless again", "Third night.")
		w.follow(river, topicID, true)
		w.follow(reader, topicID, true)
		w.follow(leaf, topicID, true)
		if err := w.forum.Posts.Mute(leaf, "fern", true); err != nil {
			t.Fatal(err)
		}

		replyID := w.reply(fern, topicID, forum.PostInput{Body: "Same here."})
		got := w.list(river)
		if len(got) != 1 || got[0].Kind != forum.NotifyFollowed || got[0].Text != "fern replied in “Sleepless again”, a topic you follow" ||
			got[0].Link != fmt.Sprintf("/p/%d", replyID) {
			t.Fatalf("follower's inbox: %+v", got)
		}
		if n := w.stored(reader); n != 1 {
			t.Errorf("a follower who reads without joining got %d notifications, want 1", n)
		}
		if n := w.stored(leaf); n != 0 {
			t.Errorf("a follower who muted the author got %d notifications", n)
		}
		// The topic author follows their topic too, and hears once, as its author.
		if got := kinds(w.list(stone)); !slices.Equal(got, []string{forum.NotifyReply}) {
			t.Errorf("topic author's inbox: %q", got)
		}
		// fern now follows by replying, and is never told of their own reply.
		w.reply(fern, topicID, forum.PostInput{Body: "Still here."})
		if n := w.stored(fern); n != 0 {
			t.Errorf("the author of a reply was told of it: %d", n)
		}
		// A mention outranks the follow: one notification, under the most specific kind.
		w.reply(fern, topicID, forum.PostInput{Body: "@quiet_river, are you awake?"})
		if got := kinds(w.list(river)); !slices.Equal(got, []string{forum.NotifyMention, forum.NotifyFollowed, forum.NotifyFollowed}) {
			t.Errorf("follower mentioned: %q", got)
		}
		// Someone else's reply reaches fern, who follows by replying.
		w.reply(river, topicID, forum.PostInput{Body: "Yes."})
		if got := kinds(w.list(fern)); !slices.Equal(got, []string{forum.NotifyFollowed}) {
			t.Errorf("a replier following by replying: %q", got)
		}

		// Switched off at /notifications: no follow notification, a mention still arrives.
		if err := w.inbox.SetEnabled(river, forum.NotifyFollowed, false); err != nil {
			t.Fatal(err)
		}
		w.reply(fern, topicID, forum.PostInput{Body: "Anyone?"})
		if n := w.stored(river); n != 3 {
			t.Errorf("followed replies switched off: %d notifications, want 3", n)
		}
		if err := w.inbox.SetEnabled(river, forum.NotifyFollowed, true); err != nil {
			t.Fatal(err)
		}

		// Unfollowing stops it, for a follower and for the topic's author.
		w.follow(river, topicID, false)
		w.follow(stone, topicID, false)
		stoneBefore := w.stored(stone)
		if w.follows(river, topicID) {
			t.Fatal("still following after unfollowing")
		}
		w.reply(fern, topicID, forum.PostInput{Body: "Good night."})
		if n := w.stored(river); n != 3 {
			t.Errorf("after unfollowing: %d notifications, want 3", n)
		}
		if n := w.stored(stone); n != stoneBefore {
			t.Errorf("the topic's author unfollowed it and still heard of a reply")
		}
	})
}

func TestReplyingFollowsUnlessSwitchedOff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		stone, river, fern := w.joined("stone", "grief"), w.joined("quiet_river", "grief"), w.joined("fern", "grief")
		topicID, _ := w.topic(stone, "grief", "Sleepless again", "Third night.")
		if !w.follows(stone, topicID) {
			t.Error("starting a topic did not follow it")
		}
		if on, err := w.forum.Follows.FollowReplied(river); err != nil || !on {
			t.Fatalf("default setting: %v %v", on, err)
		}
		w.reply(river, topicID, forum.PostInput{Body: "Me too.", Anonymous: true})
		if !w.follows(river, topicID) {
			t.Error("replying did not follow the topic")
		}

		if err := w.forum.Follows.SetFollowReplied(fern, false); err != nil {
			t.Fatal(err)
		}
		if on, err := w.forum.Follows.FollowReplied(fern); err != nil || on {
			t.Fatalf("after switching off: %v %v", on, err)
		}
		w.reply(fern, topicID, forum.PostInput{Body: "Hello."})
		if w.follows(fern, topicID) {
			t.Error("with \"Follow topics I reply to\" off, replying followed the topic")
		}
		// Starting a topic follows it either way: that is how its author hears of replies.
		ownID, _ := w.topic(fern, "grief", "My own", "Started with following off.")
		if !w.follows(fern, ownID) {
			t.Error("starting a topic with the setting off did not follow it")
		}
		w.reply(stone, topicID, forum.PostInput{Body: "Thanks all."})
		if n := w.stored(fern); n != 0 {
			t.Errorf("a replier who does not follow got %d notifications", n)
		}
		// A follow chosen by hand still works with the setting off.
		w.follow(fern, topicID, true)
		w.reply(stone, topicID, forum.PostInput{Body: "Again."})
		if n := w.stored(fern); n != 1 {
			t.Errorf("an explicit follow: %d notifications, want 1", n)
		}
	})
}

func TestFollowersWhoLostAccessHearNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		insider, leaving := w.joined("insider", "circle"), w.joined("leaving", "circle")
		outsider := w.joined("outsider", "grief")
		topicID, _ := w.topic(insider, "circle", "Our circle", "Hello.")
		w.follow(leaving, topicID, true)
		if err := w.forum.Follows.Follow(outsider, topicID, true); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("following a topic one cannot read: %v", err)
		}
		before := w.stored(leaving)
		if err := w.forum.Groups.Leave(leaving, "circle"); err != nil {
			t.Fatal(err)
		}
		w.reply(insider, topicID, forum.PostInput{Body: "Anyone still here?"})
		if n := w.stored(leaving); n != before {
			t.Errorf("a follower who left the private group got %d new notifications", n-before)
		}
		if n := w.stored(outsider); n != 0 {
			t.Errorf("a non-member got %d notifications", n)
		}
		// Their list keeps the follow without its title, so they can let it go.
		page, err := w.forum.Follows.Following(leaving, 1)
		if err != nil || len(page.Items) != 1 || page.Items[0].Readable || page.Items[0].Title != "" || page.Items[0].Link != "" {
			t.Fatalf("following list after leaving: %+v %v", page, err)
		}
		w.follow(leaving, topicID, false)
		if page, _ := w.forum.Follows.Following(leaving, 1); len(page.Items) != 0 {
			t.Errorf("after unfollowing: %+v", page.Items)
		}
	})
}

func TestFollowingListIsPaged(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		stone, river := w.joined("stone", "grief"), w.joined("quiet_river", "grief")
		for i := range forum.FollowsPerPage + 2 {
			id, _ := w.topic(stone, "grief", fmt.Sprintf("Topic %02d", i), "x")
			w.follow(river, id, true)
		}
		first, err := w.forum.Follows.Following(river, 1)
		if err != nil || first.Pages != 2 || first.Total != forum.FollowsPerPage+2 || len(first.Items) != forum.FollowsPerPage {
			t.Fatalf("first page: %d items, %d pages, %v", len(first.Items), first.Pages, err)
		}
		it := first.Items[0]
		if !it.Readable || it.GroupName != "Grief Support" || it.Link != fmt.Sprintf("/t/%d", it.TopicID) || it.Title == "" {
			t.Errorf("an item: %+v", it)
		}
		second, err := w.forum.Follows.Following(river, 2)
		if err != nil || len(second.Items) != 2 {
			t.Fatalf("second page: %+v %v", second.Items, err)
		}
		if _, err := w.forum.Follows.Following(context.Background(), 1); apperr.Code(err) != apperr.EUNAUTHORIZED {
			t.Errorf("signed out: %v", err)
		}
	})
}

// Posting a reply runs as many statements for 40 followers as for 2.
func TestReplyQueriesDoNotGrowWithFollowers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		counter := &dbtest.Counter{}
		w := newInboxWorld(t, db.Session(&gorm.Session{Logger: counter}))
		author, replier := w.joined("author", "grief"), w.joined("replier", "grief")
		measure := func(followers int, prefix string) int64 {
			topicID, _ := w.topic(author, "grief", "Topic "+prefix, "x")
			for i := range followers {
				w.follow(w.joined(fmt.Sprintf("%s%d", prefix, i), "grief"), topicID, true)
			}
			w.reply(replier, topicID, forum.PostInput{Body: "warm"}) // the replier follows now, like every later reply
			before := counter.N()
			w.reply(replier, topicID, forum.PostInput{Body: "counted"})
			return counter.N() - before
		}
		few, many := measure(2, "few"), measure(40, "many")
		t.Logf("statements for one reply: %d with 2 followers, %d with 40", few, many)
		if few != many {
			t.Errorf("a reply ran %d statements with 2 followers and %d with 40", few, many)
		}
		var n int64
		if err := db.Raw(`SELECT COUNT(*) FROM notifications WHERE kind = ?`, forum.NotifyFollowed).Scan(&n).Error; err != nil || n != 2*2+40*2 {
			t.Errorf("followed-reply notifications: %d %v, want %d", n, err, 2*2+40*2)
		}
	})
}
