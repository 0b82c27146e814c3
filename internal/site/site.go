// Package site owns the settings that admins edit for the whole site, such as the crisis page.
package site

import (
	"context"
	"errors"
	"fmt"
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
	var row settingRow
	err := s.db.WithContext(ctx).Where("key = ?", keyCrisis).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultCrisisPage, nil
	}
	if err != nil {
		return "", fmt.Errorf("site: unable to read crisis page: %w", err)
	}
	return row.Value, nil
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
	row := settingRow{Key: keyCrisis, Value: markdown, UpdatedAt: time.Now().UTC()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("site: unable to save crisis page: %w", err)
	}
	return nil
}
