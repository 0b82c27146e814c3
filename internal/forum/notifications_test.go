package forum_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// inboxWorld is a forum with a public group "grief" (anonymous posts allowed) and a private
// group "circle", run by an admin.
type inboxWorld struct {
	t          *testing.T
	db         *gorm.DB
	forum      *forum.Forum
	moderation *moderation.Service
	inbox      *forum.Inbox
	admin      context.Context
}

func newInboxWorld(t *testing.T, db *gorm.DB) *inboxWorld {
	t.Helper()
	inbox := forum.NewInbox(db)
	w := &inboxWorld{t: t, db: db, forum: forum.New(db, site.NewSettings(db), inbox), inbox: inbox}
	w.moderation = moderation.NewService(db, w.forum)
	w.admin = w.member("site_admin", accounts.RoleAdmin)
	for _, g := range []forum.GroupInput{
		{Name: "Grief Support", Slug: "grief", Visibility: forum.Public, AllowAnonymous: true},
		{Name: "Quiet Circle", Slug: "circle", Visibility: forum.Private},
	} {
		if _, err := w.forum.Groups.CreateGroup(w.admin, g); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// member creates an account and returns a context in which it is the viewer.
func (w *inboxWorld) member(name, role string) context.Context {
	w.t.Helper()
	m, err := accounts.NewService(w.db).Create(context.Background(), name, "long password 123", role)
	if err != nil {
		w.t.Fatal(err)
	}
	return accounts.WithViewer(context.Background(), accounts.Viewer{Member: m})
}

func (w *inboxWorld) joined(name, slug string) context.Context {
	w.t.Helper()
	ctx := w.member(name, accounts.RoleMember)
	if slug == "circle" {
		w.admitTo(ctx, slug, true)
		return ctx
	}
	if err := w.forum.Groups.Join(ctx, slug); err != nil {
		w.t.Fatal(err)
	}
	return ctx
}

// admitTo asks to join a private group as ctx's member, and has the admin answer.
func (w *inboxWorld) admitTo(ctx context.Context, slug string, approve bool) {
	w.t.Helper()
	if err := w.forum.Groups.RequestToJoin(ctx, slug, ""); err != nil {
		w.t.Fatal(err)
	}
	gp, err := w.forum.Groups.GroupPage(w.admin, slug, 1)
	if err != nil || len(gp.Requests) != 1 {
		w.t.Fatalf("requests: %v %+v", err, gp.Requests)
	}
	if err := w.forum.Groups.AnswerRequest(w.admin, slug, gp.Requests[0].ID, approve); err != nil {
		w.t.Fatal(err)
	}
}

func (w *inboxWorld) topic(ctx context.Context, slug, title, body string) (topicID, postID int64) {
	w.t.Helper()
	id, err := w.forum.Posts.CreateTopic(ctx, slug, forum.PostInput{Title: title, Body: body})
	if err != nil {
		w.t.Fatal(err)
	}
	tp, err := w.forum.Posts.TopicPage(ctx, id, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	return id, tp.Posts[0].ID
}

func (w *inboxWorld) reply(ctx context.Context, topicID int64, in forum.PostInput) int64 {
	w.t.Helper()
	id, err := w.forum.Posts.Reply(ctx, topicID, in)
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *inboxWorld) list(ctx context.Context) []forum.Notification {
	w.t.Helper()
	p, err := w.inbox.List(ctx, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Items
}

func texts(items []forum.Notification) []string {
	out := make([]string, len(items))
	for i, n := range items {
		out[i] = n.Text
	}
	return out
}

func (w *inboxWorld) stored(ctx context.Context) int64 {
	w.t.Helper()
	v, _ := accounts.ViewerFrom(ctx)
	var n int64
	if err := w.db.Raw(`SELECT COUNT(*) FROM notifications WHERE member_id = ?`, v.ID).Scan(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

func TestNotifyReplyTellsTheTopicAuthorOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		river, stone := w.joined("quiet_river", "grief"), w.joined("stone", "grief")
		topicID, _ := w.topic(stone, "grief", "Sleepless again", "Third night in a row.")
		replyID := w.reply(river, topicID, forum.PostInput{Body: "I know that feeling."})

		got := w.list(stone)
		if len(got) != 1 || got[0].Text != "quiet_river replied to your topic “Sleepless again”" ||
			got[0].Kind != forum.NotifyReply || got[0].Link != "/p/"+strconv.FormatInt(replyID, 10) || got[0].GroupName != "Grief Support" {
			t.Fatalf("topic author's inbox: %+v", got)
		}
		if n := w.stored(river); n != 0 {
			t.Errorf("the replier was told of their own reply (%d)", n)
		}
		w.reply(stone, topicID, forum.PostInput{Body: "Thank you."})
		if n := w.stored(stone); n != 1 {
			t.Errorf("the topic author was told of their own reply: %d notifications", n)
		}
	})
}

func TestNotifyMentionsAndQuotes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		river, stone, fern := w.joined("quiet_river", "grief"), w.joined("Stone", "grief"), w.joined("fern", "grief")
		outsider := w.member("outsider", accounts.RoleMember) // can read a public group without joining
		topicID, firstPost := w.topic(river, "grief", "Anniversaries", "Hello @STONE and @Outsider, not `@fern`.\n\n> @fern said this once")
		if got := texts(w.list(stone)); !slices.Equal(got, []string{"quiet_river mentioned you in “Anniversaries”"}) {
			t.Errorf("mentioned member's inbox: %q", got)
		}
		if n := len(w.list(outsider)); n != 1 {
			t.Errorf("a signed-in reader of a public group was not told of a mention: %d", n)
		}
		if n := w.stored(fern); n != 0 {
			t.Errorf("a mention in code or a quote notified: %d", n)
		}

		// Quoting the topic author in their own topic, and mentioning them: one notification, "quote".
		w.reply(fern, topicID, forum.PostInput{Body: "> Hello\n\nYes, @quiet_river.", QuoteOf: firstPost})
		got := w.list(river)
		if len(got) != 1 || got[0].Kind != forum.NotifyQuote || got[0].Text != "fern quoted you in “Anniversaries”" {
			t.Errorf("quoted topic author's inbox: %+v", got)
		}
	})
}

func TestNotifyNeverReachesNonReaders(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		insider := w.joined("insider", "circle")
		outsider := w.joined("outsider", "grief")
		topicID, _ := w.topic(insider, "circle", "Private matter", "Should I tell @outsider?")
		w.reply(insider, topicID, forum.PostInput{Body: "@outsider again"})
		if n := w.stored(outsider); n != 0 {
			t.Errorf("a non-member of a private group got %d notifications from it", n)
		}
	})
}

func TestNotifyAnonymousReplyNamesNobody(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		stone, secret := w.joined("stone", "grief"), w.joined("secret_writer", "grief")
		topicID, firstPost := w.topic(stone, "grief", "Hard week", "It has been a lot.")
		w.reply(secret, topicID, forum.PostInput{Body: "Same here, @stone.", QuoteOf: firstPost, Anonymous: true})

		got := w.list(stone)
		if len(got) != 1 || got[0].Text != "Anonymous member quoted you in “Hard week”" {
			t.Fatalf("inbox after an anonymous reply: %+v", got)
		}
		var rows []struct {
			ActorID *int64
			Detail  string
		}
		if err := db.Raw(`SELECT actor_id, detail FROM notifications`).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.ActorID != nil || strings.Contains(r.Detail, "secret") {
				t.Errorf("a stored notification reveals the anonymous author: %+v", r)
			}
		}
		if strings.Contains(got[0].Text+got[0].Link+got[0].GroupName, "secret_writer") {
			t.Errorf("the notification names the anonymous author: %+v", got[0])
		}
	})
}

func TestNotifyRespectsOptOuts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		river, stone := w.joined("quiet_river", "grief"), w.joined("stone", "grief")
		topicID, _ := w.topic(stone, "grief", "Sleepless again", "Third night.")
		if err := w.inbox.SetEnabled(stone, forum.NotifyReply, false); err != nil {
			t.Fatal(err)
		}
		settings, err := w.inbox.Settings(stone)
		if err != nil || settings[forum.NotifyReply] || !settings[forum.NotifyMention] || len(settings) != len(forum.NotificationKinds) {
			t.Fatalf("settings: %v %v", settings, err)
		}
		w.reply(river, topicID, forum.PostInput{Body: "Me too."})
		if n := w.stored(stone); n != 0 {
			t.Errorf("a switched-off kind was delivered: %d", n)
		}
		// Still hears a mention: only replies were switched off.
		w.reply(river, topicID, forum.PostInput{Body: "@stone, did you sleep?"})
		if got := w.list(stone); len(got) != 1 || got[0].Kind != forum.NotifyMention {
			t.Errorf("after switching replies off: %+v", got)
		}
		if err := w.inbox.SetEnabled(stone, forum.NotifyReply, true); err != nil {
			t.Fatal(err)
		}
		w.reply(river, topicID, forum.PostInput{Body: "Back again."})
		if n := w.stored(stone); n != 2 {
			t.Errorf("switching replies back on: %d notifications, want 2", n)
		}
		if err := w.inbox.SetEnabled(stone, "email", false); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("unknown kind: %v", err)
		}
	})
}

func TestNotifyJoinAnswered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		yes, no := w.member("hopeful", accounts.RoleMember), w.member("turned_away", accounts.RoleMember)
		w.admitTo(yes, "circle", true)
		w.admitTo(no, "circle", false)
		if got := w.list(yes); len(got) != 1 || got[0].Text != "Your request to join Quiet Circle was approved" || got[0].Link != "/g/circle" {
			t.Errorf("approved: %+v", got)
		}
		if got := w.list(no); len(got) != 1 || got[0].Text != "Your request to join Quiet Circle was declined" {
			t.Errorf("declined: %+v", got)
		}
	})
}

func TestNotificationsClearAndLeaving(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		member, other := w.joined("leaving", "circle"), w.joined("staying", "circle")
		topicID, _ := w.topic(member, "circle", "Our secret plan", "Hello.")
		w.reply(other, topicID, forum.PostInput{Body: "Hi @leaving."})
		if got := w.list(member); len(got) != 2 { // approved + mention
			t.Fatalf("before leaving: %q", texts(got))
		}
		if err := w.forum.Groups.Leave(member, "circle"); err != nil {
			t.Fatal(err)
		}
		got := w.list(member)
		if len(got) != 1 || got[0].Kind != forum.NotifyJoinAnswered {
			t.Errorf("after leaving the private group: %q", texts(got))
		}
		if err := w.inbox.Clear(member); err != nil {
			t.Fatal(err)
		}
		if n := w.stored(member); n != 0 {
			t.Errorf("Clear left %d", n)
		}
		if n := w.stored(other); n != 1 {
			t.Errorf("Clear touched another member's notifications: %d left, want 1", n)
		}
	})
}

func TestNotificationsSignedOut(t *testing.T) {
	t.Parallel()
	inbox := forum.NewInbox(dbtest.SQLite(t))
	if _, err := inbox.List(context.Background(), 1); apperr.Code(err) != apperr.EUNAUTHORIZED {
		t.Errorf("List signed out: %v", err)
	}
}

func TestNotifyMentionsParsing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want []string
	}{
		{"hi @Alice and @bob_2!", []string{"alice", "bob_2"}},
		{"@alice @ALICE @alice", []string{"alice"}},
		{"write to me@example.com or a@b.cd", nil},
		{"`@code` and\n\n```\n@block\n```\n", nil},
		{"> @quoted\n\nbut @real", []string{"real"}},
		{"@ab is too short, @" + strings.Repeat("x", 31) + " too long", nil},
		{"(@paren), @comma, [@linked](/u)", []string{"paren", "comma", "linked"}},
		{"@a1b @a2b @a3b @a4b @a5b @a6b @a7b @a8b @a9b @a10 @a11", []string{"a1b", "a2b", "a3b", "a4b", "a5b", "a6b", "a7b", "a8b", "a9b", "a10"}},
	}
	for _, tt := range tests {
		if got := forum.Mentions(tt.body); !slices.Equal(got, tt.want) {
			t.Errorf("Mentions(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestNotifyMutesWarningsAndDeletedPosts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		river, stone := w.joined("quiet_river", "grief"), w.joined("stone", "grief")
		topicID, _ := w.topic(stone, "grief", "Sleepless again", "Third night.")
		replyID := w.reply(river, topicID, forum.PostInput{Body: "Me too."})
		if err := w.forum.Posts.DeletePost(river, replyID); err != nil {
			t.Fatal(err)
		}
		if got := w.list(stone); len(got) != 1 || !got[0].PostDeleted {
			t.Errorf("a deleted reply's notification: %+v", got)
		}
		cwTopic, err := w.forum.Posts.CreateTopic(stone, "grief", forum.PostInput{Title: "After the funeral", Body: "Hard.", ContentWarning: "Funeral details"})
		if err != nil {
			t.Fatal(err)
		}
		w.reply(river, cwTopic, forum.PostInput{Body: "Thinking of you."})
		if err := w.forum.Posts.SetHiddenWarnings(stone, "funeral"); err != nil {
			t.Fatal(err)
		}
		if got := w.list(stone); len(got) != 1 || strings.Contains(got[0].Text, "funeral") {
			t.Errorf("a topic under a hidden content warning reached the inbox: %q", texts(got))
		}
		if err := w.forum.Posts.Mute(stone, "quiet_river", true); err != nil {
			t.Fatal(err)
		}
		if got := w.list(stone); len(got) != 0 {
			t.Errorf("notifications from a muted member still listed: %q", texts(got))
		}
		w.reply(river, topicID, forum.PostInput{Body: "Still here."})
		// Anonymous posts are delivered even from a muted author: holding them back would hint who wrote them.
		w.reply(river, topicID, forum.PostInput{Body: "Anonymously.", Anonymous: true})
		if got := texts(w.list(stone)); !slices.Equal(got, []string{"Anonymous member replied to your topic “Sleepless again”"}) {
			t.Errorf("after muting: %q", got)
		}
		if n := w.stored(stone); n != 3 {
			t.Errorf("stored %d notifications, want 3 (the muted member's new reply is not stored)", n)
		}
	})
}

func TestNotificationsPages(t *testing.T) {
	t.Parallel()
	w := newInboxWorld(t, dbtest.SQLite(t))
	river, stone := w.joined("quiet_river", "grief"), w.joined("stone", "grief")
	topicID, _ := w.topic(stone, "grief", "Long thread", "Talk to me.")
	for i := range forum.NotificationsPerPage + 1 {
		w.reply(river, topicID, forum.PostInput{Body: "Reply " + strconv.Itoa(i)})
	}
	first, err := w.inbox.List(stone, 1)
	if err != nil || len(first.Items) != forum.NotificationsPerPage || first.Pages != 2 {
		t.Fatalf("page 1: %d items of %d pages, %v", len(first.Items), first.Pages, err)
	}
	last, err := w.inbox.List(stone, 9)
	if err != nil || last.Page != 2 || len(last.Items) != 1 || last.Items[0].ID >= first.Items[len(first.Items)-1].ID {
		t.Errorf("last page: %+v, %v", last, err)
	}
	if first.Items[0].ID < first.Items[1].ID {
		t.Errorf("not newest first")
	}
}
