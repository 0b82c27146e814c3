package forum

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// Mute folds away another member's posts for the viewer. The muted member is never told.
func (s *Service) Mute(ctx context.Context, username string, on bool) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	if strings.TrimSpace(username) == "" {
		return apperr.Invalid(map[string]string{"username": "Enter the username of the member to mute."})
	}
	id, err := memberIDByUsername(ctx, s.db, username)
	if apperr.Code(err) == apperr.EINVALID {
		return nil // a name nobody has answers as a mute does: this form must not tell who is here
	}
	if err != nil {
		return err
	}
	if id == v.ID {
		return apperr.Invalid(map[string]string{"username": "You cannot mute yourself."})
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, kind := `DELETE FROM member_mutes WHERE member_id = ? AND muted_id = ?`, erasures.MuteRemoved
		if on {
			q, kind = `INSERT INTO member_mutes (member_id, muted_id, created_at) VALUES (?, ?, ?)
				ON CONFLICT (member_id, muted_id) DO NOTHING`, erasures.MuteAdded
		}
		args := []any{v.ID, id}
		if on {
			args = append(args, s.now())
		}
		res := tx.Exec(q, args...)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return erasures.Record(ctx, tx, kind, v.ID, id)
	})
	if err != nil {
		return fmt.Errorf("forum: unable to change mute: %w", err)
	}
	return nil
}

// MutedMembers lists the usernames the viewer has muted.
func (s *Service) MutedMembers(ctx context.Context) ([]string, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	err = s.db.WithContext(ctx).Raw(`SELECT muted_id FROM member_mutes WHERE member_id = ?`, v.ID).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list mutes: %w", err)
	}
	return sortedUsernames(ctx, s.db, ids)
}

// HiddenWarnings lists the words the viewer chose: topics whose content warning contains one
// are left out of their lists entirely.
func (s *Service) HiddenWarnings(ctx context.Context) ([]string, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return nil, err
	}
	var terms []string
	if err := s.db.WithContext(ctx).Raw(`SELECT term FROM hidden_warnings WHERE member_id = ? ORDER BY term`, v.ID).Scan(&terms).Error; err != nil {
		return nil, fmt.Errorf("forum: unable to list hidden warnings: %w", err)
	}
	return terms, nil
}

// SetHiddenWarnings replaces the viewer's list (comma- or line-separated words).
func (s *Service) SetHiddenWarnings(ctx context.Context, text string) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r == ',' || r == '\n' }) {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > HiddenTermMax {
			return apperr.Invalid(map[string]string{"terms": fmt.Sprintf("Each word or phrase is at most %d characters.", HiddenTermMax)})
		}
		seen[t] = true
	}
	if len(seen) > HiddenTermsMax {
		return apperr.Invalid(map[string]string{"terms": fmt.Sprintf("At most %d words or phrases.", HiddenTermsMax)})
	}
	terms := make([]string, 0, len(seen))
	for t := range seen {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := setHiddenWarnings(tx, v.ID, terms); err != nil {
			return err
		}
		return erasures.RecordDetail(ctx, tx, erasures.HiddenWarnings, v.ID, 0, strings.Join(terms, "\n"))
	})
	if err != nil {
		return fmt.Errorf("forum: unable to save hidden warnings: %w", err)
	}
	return nil
}

func setHiddenWarnings(tx *gorm.DB, memberID int64, terms []string) error {
	if err := tx.Exec(`DELETE FROM hidden_warnings WHERE member_id = ?`, memberID).Error; err != nil {
		return err
	}
	for _, t := range terms {
		if err := tx.Exec(`INSERT INTO hidden_warnings (member_id, term) VALUES (?, ?)`, memberID, t).Error; err != nil {
			return err
		}
	}
	return nil
}

// memberIDByUsername finds a member for a form that names one; an unknown name is a field error.
func memberIDByUsername(ctx context.Context, db *gorm.DB, username string) (int64, error) {
	m, ok, err := accounts.Named(ctx, db, username)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, apperr.Invalid(map[string]string{"username": "There is no member with that username."})
	}
	return m.ID, nil
}
