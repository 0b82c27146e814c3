package moderation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// ActionApprovePost publishes a post that was held for approval.
const ActionApprovePost = "approve_post"

// What a watched word does to a post that contains it, strongest first.
const (
	WordBlock = forum.WordBlock // refuse the post; its author sees why and keeps the text
	WordHold  = forum.WordHold  // publish only after a moderator approves it
	WordFlag  = forum.WordFlag  // publish, and put it in the queue
)

// WordMax is the longest watched word or phrase.
const WordMax = 100

// WatchedWord is one entry of the site-wide list.
type WatchedWord struct {
	ID        int64
	Word      string
	Action    string
	CreatedAt time.Time
}

var wordStrength = map[string]int{WordFlag: 1, WordHold: 2, WordBlock: 3}

// WatchedWords lists the site's watched words, alphabetically.
func (s *Service) WatchedWords(ctx context.Context) ([]WatchedWord, error) {
	return watchedWords(ctx, s.db)
}

func watchedWords(ctx context.Context, db *gorm.DB) ([]WatchedWord, error) {
	var out []WatchedWord
	if err := db.WithContext(ctx).Raw(`SELECT id, word, action, created_at FROM watched_words ORDER BY word`).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("moderation: unable to list watched words: %w", err)
	}
	return out, nil
}

// AddWatchedWord puts a word or short phrase on the list; site admins only.
func (s *Service) AddWatchedWord(ctx context.Context, word, action string) (string, error) {
	if !isAdmin(ctx) {
		return "", apperr.New(apperr.EFORBIDDEN, "Only site admins can change the watched words.")
	}
	word = strings.ToLower(strings.Join(strings.Fields(word), " "))
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(word); {
	case len(wordTokens(word)) == 0:
		fields["word"] = "Enter a word or a short phrase."
	case n > WordMax:
		fields["word"] = fmt.Sprintf("A watched word or phrase is at most %d characters long.", WordMax)
	}
	if _, ok := wordStrength[action]; !ok {
		fields["action"] = "Choose what happens to a post that contains it."
	}
	if len(fields) > 0 {
		return word, apperr.Invalid(fields)
	}
	var n int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM watched_words WHERE word = ?`, word).Scan(&n).Error; err != nil {
		return word, fmt.Errorf("moderation: unable to read watched words: %w", err)
	}
	var err error
	if n == 0 {
		err = s.db.WithContext(ctx).Exec(`INSERT INTO watched_words (word, action, created_at) VALUES (?, ?, ?)`, word, action, time.Now().UTC()).Error
	}
	if n > 0 || errors.Is(err, gorm.ErrDuplicatedKey) { // the second case: added by another admin at the same moment
		return word, apperr.Conflict(map[string]string{"word": fmt.Sprintf("“%s” is already on the list.", word)})
	}
	if err != nil {
		return word, fmt.Errorf("moderation: unable to add a watched word: %w", err)
	}
	return word, nil
}

// DeleteWatchedWord takes a word off the list; site admins only.
func (s *Service) DeleteWatchedWord(ctx context.Context, id int64) error {
	if !isAdmin(ctx) {
		return apperr.New(apperr.EFORBIDDEN, "Only site admins can change the watched words.")
	}
	if err := s.db.WithContext(ctx).Exec(`DELETE FROM watched_words WHERE id = ?`, id).Error; err != nil {
		return fmt.Errorf("moderation: unable to delete a watched word: %w", err)
	}
	return nil
}

// MatchWatched returns the strongest watched word in text (block over hold over flag), matched
// case-insensitively on word boundaries: "sale" matches "Sale!" but not "wholesale".
func MatchWatched(words []WatchedWord, text string) (WatchedWord, bool) {
	tokens := wordTokens(text)
	var best WatchedWord
	for _, w := range words {
		if wordStrength[w.Action] > wordStrength[best.Action] && containsRun(tokens, wordTokens(w.Word)) {
			best = w
		}
	}
	return best, best.Word != ""
}

// wordTokens splits text into lowercase runs of letters and digits: the words \b would see.
func wordTokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// containsRun reports whether run appears in tokens, consecutively.
func containsRun(tokens, run []string) bool {
	if len(run) == 0 {
		return false
	}
outer:
	for i := 0; i+len(run) <= len(tokens); i++ {
		for j, w := range run {
			if tokens[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}
