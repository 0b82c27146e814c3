package privacy

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// How a consent was given or withdrawn.
const (
	MethodDashboard    = "dashboard"
	MethodSignUpPrompt = "signup_prompt"
)

// State is a member's current choice for one purpose.
type State struct {
	Purpose
	Granted bool // on now, for the current version
	Lapsed  bool // granted for an earlier version of the text: off until agreed again
}

type consentRow struct {
	MemberID  int64  `gorm:"primaryKey"`
	Purpose   string `gorm:"primaryKey"`
	Version   int
	Granted   bool
	ChangedAt time.Time
}

func (consentRow) TableName() string { return "consents" }

// States returns the viewer's choice for every purpose, in registry order.
func (s *Service) States(ctx context.Context) ([]State, error) {
	v, err := member(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := consentRows(ctx, s.db, v.ID)
	if err != nil {
		return nil, err
	}
	byKey := map[string]consentRow{}
	for _, r := range rows {
		byKey[r.Purpose] = r
	}
	out := make([]State, len(Purposes))
	for i, p := range Purposes {
		r, ok := byKey[p.Key]
		out[i] = State{Purpose: p, Granted: ok && r.Granted && r.Version == p.Version, Lapsed: ok && r.Granted && r.Version != p.Version}
	}
	return out, nil
}

// Granted reports whether the viewer's consent to purpose is on now.
func (s *Service) Granted(ctx context.Context, purpose string) (bool, error) {
	v, ok := viewerID(ctx)
	if !ok {
		return false, nil
	}
	return granted(ctx, s.db, v, purpose)
}

func viewerID(ctx context.Context) (int64, bool) {
	v, err := member(ctx)
	return v.ID, err == nil
}

// grantedNow checks one purpose for one member in the database.
func grantedNow(ctx context.Context, tx *gorm.DB, memberID int64, purpose string) (bool, error) {
	p, ok := Lookup(purpose)
	if !ok {
		return false, fmt.Errorf("privacy: unknown purpose %q", purpose)
	}
	q := tx.WithContext(ctx).Model(&consentRow{}).Select("member_id").
		Where("member_id = ? AND purpose = ? AND granted = ? AND version = ?", memberID, purpose, true, p.Version)
	var ids []int64
	if err := q.Scan(&ids).Error; err != nil {
		return false, fmt.Errorf("privacy: unable to check consent: %w", err)
	}
	return len(ids) > 0, nil
}

// Record is one change of consent, as the history and the receipts show it.
type Record struct {
	ID        int64
	ReceiptID string
	MemberID  int64
	Purpose   string
	Version   int
	Granted   bool
	Method    string
	CreatedAt time.Time
}

// SetConsent switches one purpose on or off for the viewer and records the change. It holds
// from the very next request.
func (s *Service) SetConsent(ctx context.Context, purpose string, on bool, method string) (Record, error) {
	v, err := member(ctx)
	if err != nil {
		return Record{}, err
	}
	p, ok := Lookup(purpose)
	if !ok {
		return Record{}, apperr.New(apperr.EINVALID, "There is no such purpose.")
	}
	if method != MethodDashboard && method != MethodSignUpPrompt {
		return Record{}, fmt.Errorf("privacy: unknown consent method %q", method)
	}
	rec := Record{ReceiptID: newUUID(), MemberID: v.ID, Purpose: p.Key, Version: p.Version, Granted: on, Method: method, CreatedAt: s.now()}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row := consentRow{MemberID: v.ID, Purpose: p.Key, Version: p.Version, Granted: on, ChangedAt: rec.CreatedAt}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return err
		}
		if err := tx.Table("consent_records").Create(&rec).Error; err != nil {
			return err
		}
		return listWithdrawal(ctx, tx, rec)
	})
	forgetConsents(ctx)
	if err != nil {
		return Record{}, fmt.Errorf("privacy: unable to save consent: %w", err)
	}
	return rec, nil
}

// History lists the viewer's consent changes, newest first.
func (s *Service) History(ctx context.Context) ([]Record, error) {
	v, err := member(ctx)
	if err != nil {
		return nil, err
	}
	var out []Record
	err = s.db.WithContext(ctx).Table("consent_records").Where("member_id = ?", v.ID).Order("id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to read consent history: %w", err)
	}
	return out, nil
}

// ConsentRecord returns one of the viewer's consent records by receipt id; nobody else's.
func (s *Service) ConsentRecord(ctx context.Context, receiptID string) (Record, error) {
	v, err := member(ctx)
	if err != nil {
		return Record{}, err
	}
	var out []Record
	err = s.db.WithContext(ctx).Table("consent_records").Where("receipt_id = ? AND member_id = ?", receiptID, v.ID).Find(&out).Error
	if err != nil {
		return Record{}, fmt.Errorf("privacy: unable to read consent record: %w", err)
	}
	if len(out) == 0 {
		return Record{}, apperr.New(apperr.ENOTFOUND, "There is no such receipt.")
	}
	return out[0], nil
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("privacy: no randomness: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
