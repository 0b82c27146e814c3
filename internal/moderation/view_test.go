package moderation_test

import (
	"context"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// TestQueueLogAndRecordNameWhatOtherDomainsHold: the queue, the log and a member's own record
// read names, groups and posts from accounts and the forum by id; a moderator sees them as
// before, and an anonymous post's author stays unnamed.
func TestQueueLogAndRecordNameWhatOtherDomainsHold(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := forum.New(db, site.NewSettings(db), nil)
		mod := moderation.NewService(db, f)
		member := func(name, role string) (context.Context, int64) {
			m, err := accounts.NewService(db).Create(context.Background(), name, "long password 123", role)
			if err != nil {
				t.Fatal(err)
			}
			return accounts.WithViewer(context.Background(), accounts.Viewer{Member: m}), m.ID
		}
		admin, _ := member("site_admin", accounts.RoleAdmin)
		if _, err := f.Groups.CreateGroup(admin, forum.GroupInput{Name: "Grief Support", Slug: "grief", Visibility: forum.Public, AllowAnonymous: true}); err != nil {
			t.Fatal(err)
		}
		ana, anaID := member("ana", accounts.RoleMember)
		ben, _ := member("ben", accounts.RoleMember)
		for _, ctx := range []context.Context{ana, ben} {
			if err := f.Groups.Join(ctx, "grief"); err != nil {
				t.Fatal(err)
			}
		}
		topic, err := f.Posts.CreateTopic(ana, "grief", forum.PostInput{Title: "Hard week", Body: "opening words"})
		if err != nil {
			t.Fatal(err)
		}
		anon, err := f.Posts.Reply(ana, topic, forum.PostInput{Body: "anonymous words", Anonymous: true})
		if err != nil {
			t.Fatal(err)
		}
		named, err := f.Posts.Reply(ana, topic, forum.PostInput{Body: "named words"})
		if err != nil {
			t.Fatal(err)
		}
		if err := mod.ReportPost(ben, anon, moderation.ReasonSpam, ""); err != nil {
			t.Fatal(err)
		}
		if err := mod.ReportPost(ben, named, moderation.ReasonHarassment, "unkind"); err != nil {
			t.Fatal(err)
		}
		if err := mod.ActOnMember(admin, "grief", moderation.MemberAction{Action: moderation.ActionWarn, Username: "ana", Reason: "be gentle"}); err != nil {
			t.Fatal(err)
		}

		scope, err := mod.Scope(admin)
		if err != nil {
			t.Fatal(err)
		}
		items, total, err := mod.Queue(admin, scope, 1)
		if err != nil || total != 2 || len(items) != 2 {
			t.Fatalf("Queue = %d items of %d, %v", len(items), total, err)
		}
		byPost := map[int64]moderation.QueueItem{}
		for _, it := range items {
			byPost[it.PostID] = it
		}
		a, n := byPost[anon], byPost[named]
		if a.GroupName != "Grief Support" || a.GroupSlug != "grief" || a.TopicID != topic || a.TopicTitle != "Hard week" ||
			a.PostBody != "anonymous words" || a.PreviousBody != "opening words" || !a.PostAnonymous {
			t.Errorf("anonymous post's item = %+v", a)
		}
		if a.MemberName != "" || len(a.History) != 0 {
			t.Errorf("the anonymous post's author shows: %q, history %+v", a.MemberName, a.History)
		}
		if n.MemberName != "ana" || n.PreviousBody != "anonymous words" || len(n.Reports) != 1 || n.Reports[0].Details != "unkind" {
			t.Errorf("named post's item = %+v", n)
		}
		if len(n.History) != 1 || n.History[0].Action != moderation.ActionWarn || n.History[0].ActorName != "site_admin" || n.History[0].TargetName != "ana" {
			t.Errorf("named post's history = %+v", n.History)
		}

		if err := mod.HidePost(admin, anon, "off topic", true); err != nil {
			t.Fatal(err)
		}
		entries, _, err := mod.Log(admin, scope, 1)
		if err != nil || len(entries) != 2 {
			t.Fatalf("Log = %+v, %v", entries, err)
		}
		if e := entries[0]; e.Action != moderation.ActionHidePost || e.ActorName != "site_admin" || e.TargetName != "Anonymous member" ||
			e.GroupName != "Grief Support" || e.Reason != "off topic" {
			t.Errorf("hide entry = %+v", e)
		}

		mine, _, err := mod.ActionsOn(ana, anaID, 1)
		if err != nil || len(mine) != 2 {
			t.Fatalf("ActionsOn = %+v, %v", mine, err)
		}
		for _, e := range mine {
			if !e.ByAdmin || e.GroupName != "Grief Support" {
				t.Errorf("ana's record shows %+v", e)
			}
		}
		if got := mine[1].Describe(); got != "An admin warned you in Grief Support" {
			t.Errorf("Describe = %q", got)
		}
	})
}

// TestActionsOnAnonymousWorkNameNoOne: an action on an anonymous post or topic is logged against
// its author, yet neither the log nor the queue's history of that author ties them to it.
func TestActionsOnAnonymousWorkNameNoOne(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := forum.New(db, site.NewSettings(db), nil)
		mod := moderation.NewService(db, f)
		member := func(name, role string) context.Context {
			m, err := accounts.NewService(db).Create(context.Background(), name, "long password 123", role)
			if err != nil {
				t.Fatal(err)
			}
			return accounts.WithViewer(context.Background(), accounts.Viewer{Member: m})
		}
		admin := member("site_admin", accounts.RoleAdmin)
		if _, err := f.Groups.CreateGroup(admin, forum.GroupInput{Name: "Grief Support", Slug: "grief", Visibility: forum.Public, AllowAnonymous: true}); err != nil {
			t.Fatal(err)
		}
		ana, ben := member("ana", accounts.RoleMember), member("ben", accounts.RoleMember)
		for _, ctx := range []context.Context{ana, ben} {
			if err := f.Groups.Join(ctx, "grief"); err != nil {
				t.Fatal(err)
			}
		}
		anonTopic, err := f.Posts.CreateTopic(ana, "grief", forum.PostInput{Title: "Hard week", Body: "opening words", Anonymous: true})
		if err != nil {
			t.Fatal(err)
		}
		anonReply, err := f.Posts.Reply(ana, anonTopic, forum.PostInput{Body: "anonymous words", Anonymous: true})
		if err != nil {
			t.Fatal(err)
		}
		named, err := f.Posts.Reply(ana, anonTopic, forum.PostInput{Body: "named words"})
		if err != nil {
			t.Fatal(err)
		}
		if err := mod.SetTopicFlag(admin, anonTopic, "locked", true, "cooling down"); err != nil {
			t.Fatal(err)
		}
		if err := mod.HidePost(admin, anonReply, "off topic", true); err != nil {
			t.Fatal(err)
		}
		if err := mod.ReportPost(ben, named, moderation.ReasonHarassment, "unkind"); err != nil {
			t.Fatal(err)
		}
		scope, err := mod.Scope(admin)
		if err != nil {
			t.Fatal(err)
		}
		entries, _, err := mod.Log(admin, scope, 1)
		if err != nil || len(entries) != 2 {
			t.Fatalf("Log = %+v, %v", entries, err)
		}
		for _, e := range entries {
			if e.TargetName != forum.AnonymousName {
				t.Errorf("log entry %s names its target %q", e.Action, e.TargetName)
			}
		}
		items, _, err := mod.Queue(admin, scope, 1)
		if err != nil || len(items) != 1 || items[0].MemberName != "ana" {
			t.Fatalf("Queue = %+v, %v", items, err)
		}
		if len(items[0].History) != 0 {
			t.Errorf("ana's history lists actions on her anonymous work: %+v", items[0].History)
		}
	})
}
