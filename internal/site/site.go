// Package site owns the settings that admins edit for the whole site, such as the crisis page.
package site

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

const keyCrisis = "crisis_page"

// CrisisPageMax is the longest crisis page an admin can save.
const CrisisPageMax = 20000

// DefaultCrisisPage is shown until an admin writes one for their community.
const DefaultCrisisPage = `## If you are in danger right now

**Call your local emergency number now** (for example 112 in Europe, 911 in North America,
000 in Australia, 999 in the UK), or go to the nearest emergency department.

## If you need to talk to someone today

- Most countries have a free, confidential crisis or suicide-prevention helpline open day and night.
  Your local health service, doctor or pharmacist can tell you its number.
- If you can, tell someone you trust how you are feeling, and ask them to stay with you.

## About this forum

Haven is a peer-support community. Members and moderators are not a crisis service and may not
see your message in time. Please reach out to the services above first.`

type settingRow struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "site_settings" }

// Settings reads and writes site settings.
type Settings struct{ db *gorm.DB }

// NewSettings returns the site settings on db.
func NewSettings(db *gorm.DB) *Settings { return &Settings{db: db} }

// CrisisPage returns the crisis page's Markdown.
func (s *Settings) CrisisPage(ctx context.Context) (string, error) {
	v, ok, err := s.get(ctx, keyCrisis)
	if err != nil || !ok {
		return DefaultCrisisPage, err
	}
	return v, nil
}

// SetCrisisPage saves the crisis page's Markdown; only admins may.
func (s *Settings) SetCrisisPage(ctx context.Context, isAdmin bool, markdown string) error {
	if !isAdmin {
		return apperr.New(apperr.EFORBIDDEN, "Only site admins can edit the crisis page.")
	}
	switch n := utf8.RuneCountInString(markdown); {
	case n == 0:
		return apperr.Invalid(map[string]string{"body": "The crisis page cannot be empty: people come here in an emergency."})
	case n > CrisisPageMax:
		return apperr.Invalid(map[string]string{"body": fmt.Sprintf("The crisis page is at most %d characters long (this is %d).", CrisisPageMax, n)})
	}
	return s.set(ctx, keyCrisis, markdown)
}

const (
	keyVisitorsRead  = "visitors_read_public_groups"
	keyCrisisPhrases = "crisis_phrases"
)

// DefaultCrisisPhrases are checked in new posts until an admin edits the list.
var DefaultCrisisPhrases = []string{
	"kill myself", "end my life", "suicide", "want to die", "better off dead",
	"hurt myself", "self harm", "self-harm", "no reason to live", "overdose",
}

func (s *Settings) get(ctx context.Context, key string) (string, bool, error) {
	var row settingRow
	err := s.db.WithContext(ctx).Where("key = ?", key).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("site: unable to read %s: %w", key, err)
	}
	return row.Value, true, nil
}

func (s *Settings) set(ctx context.Context, key, value string) error {
	row := settingRow{Key: key, Value: value, UpdatedAt: time.Now().UTC()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("site: unable to save %s: %w", key, err)
	}
	return nil
}

// VisitorsReadPublicGroups reports whether signed-out visitors may read public groups (off by default).
func (s *Settings) VisitorsReadPublicGroups(ctx context.Context) (bool, error) {
	v, _, err := s.get(ctx, keyVisitorsRead)
	return v == "true", err
}

// SetVisitorsReadPublicGroups switches that setting; only admins may.
func (s *Settings) SetVisitorsReadPublicGroups(ctx context.Context, isAdmin, on bool) error {
	if !isAdmin {
		return apperr.New(apperr.EFORBIDDEN, "Only site admins can change site settings.")
	}
	return s.set(ctx, keyVisitorsRead, fmt.Sprint(on))
}

// CrisisPhrases returns the phrases that show a member crisis resources before their post goes up.
func (s *Settings) CrisisPhrases(ctx context.Context) ([]string, error) {
	v, ok, err := s.get(ctx, keyCrisisPhrases)
	if err != nil || !ok {
		return DefaultCrisisPhrases, err
	}
	var out []string
	for _, line := range strings.Split(v, "\n") {
		if p := strings.TrimSpace(line); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// SetCrisisPhrases saves the list, one phrase a line; only admins may.
func (s *Settings) SetCrisisPhrases(ctx context.Context, isAdmin bool, lines string) error {
	if !isAdmin {
		return apperr.New(apperr.EFORBIDDEN, "Only site admins can change the crisis phrases.")
	}
	var keep []string
	for _, line := range strings.Split(lines, "\n") {
		p := strings.ToLower(strings.TrimSpace(line))
		if p == "" {
			continue
		}
		if utf8.RuneCountInString(p) > 100 {
			return apperr.Invalid(map[string]string{"phrases": "Each phrase is at most 100 characters."})
		}
		keep = append(keep, p)
	}
	if len(keep) > 500 {
		return apperr.Invalid(map[string]string{"phrases": "At most 500 phrases."})
	}
	return s.set(ctx, keyCrisisPhrases, strings.Join(keep, "\n"))
}
