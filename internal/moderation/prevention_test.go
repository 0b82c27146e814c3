package moderation_test

import (
	"context"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

func TestWatchedWordMatching(t *testing.T) {
	t.Parallel()
	words := []moderation.WatchedWord{
		{Word: "sale", Action: moderation.WordFlag},
		{Word: "buy now", Action: moderation.WordBlock},
		{Word: "pills", Action: moderation.WordHold},
		{Word: "café", Action: moderation.WordFlag},
	}
	for _, tc := range []struct {
		text, want string
	}{
		{"Big SALE today", "sale"},
		{"Sale!", "sale"},
		{"wholesale prices", ""},
		{"salesman", ""},
		{"Buy\n  NOW, please", "buy now"},
		{"buying now", ""},
		{"now buy", ""},
		{"sale on pills", "pills"},            // hold over flag
		{"pills on sale, buy now", "buy now"}, // block over both
		{"Meet at the CAFÉ.", "café"},
		{"", ""},
	} {
		got, ok := moderation.MatchWatched(words, tc.text)
		if got.Word != tc.want || ok != (tc.want != "") {
			t.Errorf("MatchWatched(%q) = %q, %v; want %q", tc.text, got.Word, ok, tc.want)
		}
	}
}

func TestWatchedWordsAreAdminsOnlyAndUnique(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		svc := moderation.NewService(db, forum.New(db, site.NewSettings(db), nil))
		ctx := accounts.WithViewer(context.Background(), accounts.Viewer{Member: accounts.Member{ID: 1, Role: accounts.RoleAdmin}})
		member := accounts.WithViewer(context.Background(), accounts.Viewer{Member: accounts.Member{ID: 2, Role: accounts.RoleMember}})
		if _, err := svc.AddWatchedWord(member, "spam", moderation.WordBlock); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("a non-admin added a word: %v", err)
		}
		word, err := svc.AddWatchedWord(ctx, "  Buy   NOW ", moderation.WordBlock)
		if err != nil || word != "buy now" {
			t.Fatalf("AddWatchedWord = %q, %v", word, err)
		}
		if _, err := svc.AddWatchedWord(ctx, "BUY NOW", moderation.WordFlag); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("a duplicate was added: %v", err)
		}
		for _, bad := range [][2]string{{"  ", moderation.WordBlock}, {"!!!", moderation.WordBlock}, {"fine", "ban"}} {
			if _, err := svc.AddWatchedWord(ctx, bad[0], bad[1]); apperr.Code(err) != apperr.EINVALID {
				t.Errorf("AddWatchedWord(%q, %q) = %v", bad[0], bad[1], err)
			}
		}
		list, err := svc.WatchedWords(ctx)
		if err != nil || len(list) != 1 || list[0].Action != moderation.WordBlock {
			t.Fatalf("WatchedWords = %+v, %v", list, err)
		}
		if err := svc.DeleteWatchedWord(member, list[0].ID); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("a non-admin deleted a word: %v", err)
		}
		if err := svc.DeleteWatchedWord(ctx, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := svc.WatchedWords(ctx); len(list) != 0 {
			t.Errorf("still listed: %+v", list)
		}
	})
}
