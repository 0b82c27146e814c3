// Package accounts owns members, their credentials, recovery codes and sessions.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// Roles a member can have site-wide.
const (
	RoleMember = "member"
	RoleAdmin  = "admin"
)

// Limits on what a member types.
const (
	UsernameMin       = 3
	UsernameMax       = 30
	PasswordMin       = 10
	PasswordMax       = 256
	RecoveryCodeCount = 10
)

// A sign-up repeated this soon with the same name and password is the same person's double
// click, not a second account.
const replayWindow = 2 * time.Minute

// Member is a signed-up person, as the rest of Haven sees them.
type Member struct {
	ID        int64
	Username  string
	Role      string
	CreatedAt time.Time
	TimeZone  string // IANA name the member reads times in (one of TimeZones)
}

// IsAdmin reports whether m is a site admin.
func (m Member) IsAdmin() bool { return m.Role == RoleAdmin }

type memberRow struct {
	ID                int64 `gorm:"primaryKey"`
	Username          string
	UsernameKey       string
	PasswordHash      string
	Role              string
	CreatedAt         time.Time
	PasswordChangedAt time.Time
	TimeZone          string
}

func (memberRow) TableName() string { return "members" }

func (r memberRow) member() Member {
	return Member{ID: r.ID, Username: r.Username, Role: r.Role, CreatedAt: r.CreatedAt, TimeZone: r.TimeZone}
}

type recoveryCodeRow struct {
	ID       int64 `gorm:"primaryKey"`
	MemberID int64
	CodeHash string
}

func (recoveryCodeRow) TableName() string { return "recovery_codes" }

// Service is the accounts domain.
type Service struct {
	db     *gorm.DB
	now    func() time.Time
	hashes *hashGate
	params hashParams // of new hashes
}

// HashWait is how long a password check waits for a free slot before the member is asked to
// try again.
const HashWait = 3 * time.Second

// NewService returns the accounts service on db. It runs as many password hashes at once as
// there are cores.
func NewService(db *gorm.DB) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC() },
		hashes: newHashGate(runtime.GOMAXPROCS(0), HashWait), params: newServiceParams}
}

// WithHashLimit runs at most slots password hashes at once, each waiting at most wait for a
// slot, and returns s.
func (s *Service) WithHashLimit(slots int, wait time.Duration) *Service {
	s.hashes = newHashGate(slots, wait)
	return s
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// ValidateUsername returns a message for the member, or "" when name is acceptable.
func ValidateUsername(name string) string {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return "Choose a username."
	case n < UsernameMin || n > UsernameMax:
		return fmt.Sprintf("A username is %d to %d characters long.", UsernameMin, UsernameMax)
	case !usernamePattern.MatchString(name):
		return "Use only letters a–z, digits, underscores and hyphens. No spaces; a nickname keeps you private."
	}
	return ""
}

func validatePassword(password, confirm, username string) map[string]string {
	f := map[string]string{}
	n := utf8.RuneCountInString(password)
	switch {
	case n == 0:
		f["password"] = "Choose a password."
	case n < PasswordMin:
		f["password"] = fmt.Sprintf("Use at least %d characters; a few words in a row make a good password.", PasswordMin)
	case n > PasswordMax:
		f["password"] = fmt.Sprintf("A password is at most %d characters long.", PasswordMax)
	case username != "" && strings.EqualFold(password, username):
		f["password"] = "Your password must not be your username."
	}
	if f["password"] == "" && password != confirm {
		f["password_confirm"] = "The two passwords do not match."
	}
	return f
}

// SignUp creates a member and returns their one-time recovery codes. A repeat of the same
// sign-up within a short window (a double click) returns the same member with fresh codes
// instead of failing, so nobody is left without codes they saw.
func (s *Service) SignUp(ctx context.Context, username, password, confirm string) (Member, []string, error) {
	fields := validatePassword(password, confirm, username)
	if msg := ValidateUsername(username); msg != "" {
		fields["username"] = msg
	}
	if len(fields) > 0 {
		return Member{}, nil, apperr.Invalid(fields)
	}
	m, codes, err := s.create(ctx, username, password, RoleMember)
	if apperr.Code(err) != apperr.ECONFLICT {
		return m, codes, err
	}
	row, ferr := s.findByUsername(ctx, username)
	if ferr == nil && s.now().Sub(row.CreatedAt) < replayWindow {
		same, cerr := s.check(ctx, row.PasswordHash, password)
		if cerr != nil {
			return Member{}, nil, cerr
		}
		if same {
			codes, err := s.replaceRecoveryCodes(ctx, row.ID)
			return row.member(), codes, err
		}
	}
	return Member{}, nil, err
}

// Create makes a member with role (for the admin command line); it skips nothing of SignUp's
// validation except the confirmation field.
func (s *Service) Create(ctx context.Context, username, password, role string) (Member, error) {
	fields := validatePassword(password, password, username)
	if msg := ValidateUsername(username); msg != "" {
		fields["username"] = msg
	}
	if role != RoleMember && role != RoleAdmin {
		fields["role"] = "A role is member or admin."
	}
	if len(fields) > 0 {
		return Member{}, apperr.Invalid(fields)
	}
	m, _, err := s.create(ctx, username, password, role)
	return m, err
}

func (s *Service) create(ctx context.Context, username, password, role string) (Member, []string, error) {
	hash, err := s.hash(ctx, password)
	if err != nil {
		return Member{}, nil, err
	}
	now := s.now()
	row := memberRow{Username: username, UsernameKey: strings.ToLower(username), PasswordHash: hash,
		Role: role, CreatedAt: now, PasswordChangedAt: now, TimeZone: DefaultTimeZone}
	var codes []string
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		codes, err = insertRecoveryCodes(tx, row.ID)
		return err
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Member{}, nil, apperr.Conflict(map[string]string{"username": "That username is taken. Try another."})
	}
	if err != nil {
		return Member{}, nil, fmt.Errorf("accounts: unable to create member: %w", err)
	}
	return row.member(), codes, nil
}

func insertRecoveryCodes(tx *gorm.DB, memberID int64) ([]string, error) {
	codes := make([]string, RecoveryCodeCount)
	rows := make([]recoveryCodeRow, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		rows[i] = recoveryCodeRow{MemberID: memberID, CodeHash: tokenHash(codes[i])}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return nil, err
	}
	return codes, nil
}

func (s *Service) replaceRecoveryCodes(ctx context.Context, memberID int64) ([]string, error) {
	var codes []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("member_id = ?", memberID).Delete(&recoveryCodeRow{}).Error; err != nil {
			return err
		}
		if err := erasures.Record(ctx, tx, erasures.RecoveryCodesNew, memberID, 0); err != nil {
			return err
		}
		var err error
		codes, err = insertRecoveryCodes(tx, memberID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("accounts: unable to replace recovery codes: %w", err)
	}
	return codes, nil
}

func (s *Service) findByUsername(ctx context.Context, username string) (memberRow, error) {
	var row memberRow
	err := s.db.WithContext(ctx).Where("username_key = ?", strings.ToLower(username)).Take(&row).Error
	return row, err
}

// Authenticate returns the member whose username and password these are.
func (s *Service) Authenticate(ctx context.Context, username, password string) (Member, error) {
	bad := apperr.New(apperr.EUNAUTHORIZED, "That username and password do not match an account.")
	if username == "" || password == "" || len(username) > UsernameMax || len(password) > PasswordMax*4 {
		return Member{}, bad
	}
	row, err := s.findByUsername(ctx, username)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		row.PasswordHash = dummyHash // as slow as a real check, so timing does not tell who exists
	} else if err != nil {
		return Member{}, fmt.Errorf("accounts: unable to find member: %w", err)
	}
	ok, err := s.check(ctx, row.PasswordHash, password)
	if err != nil {
		return Member{}, err
	}
	if !ok || row.ID == 0 {
		return Member{}, bad
	}
	return row.member(), nil
}

// Get returns the member with id.
func (s *Service) Get(ctx context.Context, id int64) (Member, error) {
	var row memberRow
	err := s.db.WithContext(ctx).Take(&row, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Member{}, apperr.New(apperr.ENOTFOUND, "That member does not exist.")
	}
	if err != nil {
		return Member{}, fmt.Errorf("accounts: unable to get member: %w", err)
	}
	return row.member(), nil
}

// ChangePassword sets a new password after checking the current one, and ends every session of
// the member except keepSession (the one making the change).
func (s *Service) ChangePassword(ctx context.Context, memberID int64, current, password, confirm string, keepSession int64) error {
	var row memberRow
	if err := s.db.WithContext(ctx).Take(&row, memberID).Error; err != nil {
		return fmt.Errorf("accounts: unable to get member: %w", err)
	}
	fields := validatePassword(password, confirm, row.Username)
	ok, err := s.check(ctx, row.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		fields["current_password"] = "That is not your current password."
	}
	if len(fields) > 0 {
		return apperr.Invalid(fields)
	}
	return s.setPassword(ctx, memberID, password, keepSession)
}

func (s *Service) setPassword(ctx context.Context, memberID int64, password string, keepSession int64) error {
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&memberRow{}).Where("id = ?", memberID).
			Updates(map[string]any{"password_hash": hash, "password_changed_at": s.now()}).Error; err != nil {
			return err
		}
		if err := erasures.Record(ctx, tx, erasures.PasswordChanged, memberID, keepSession); err != nil {
			return err
		}
		return tx.Where("member_id = ? AND id <> ?", memberID, keepSession).Delete(&sessionRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("accounts: unable to set password: %w", err)
	}
	return nil
}

// Recover resets a forgotten password with one of the member's recovery codes, which is then
// used up, and ends every session of theirs.
func (s *Service) Recover(ctx context.Context, username, code, password, confirm string) (Member, error) {
	fields := validatePassword(password, confirm, username)
	wrong := "That username and recovery code do not match. Check the code, or try another of yours."
	row, err := s.findByUsername(ctx, username)
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return Member{}, fmt.Errorf("accounts: unable to find member: %w", err)
	}
	if len(fields) > 0 {
		return Member{}, apperr.Invalid(fields)
	}
	hash, herr := s.hash(ctx, password) // for a name that does not exist too: as slow either way
	if herr != nil {
		return Member{}, herr
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Member{}, apperr.Invalid(map[string]string{"code": wrong})
	}
	used := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var codes []recoveryCodeRow
		if err := tx.Where("member_id = ? AND code_hash = ?", row.ID, tokenHash(normalizeCode(code))).Find(&codes).Error; err != nil || len(codes) == 0 {
			return err
		}
		res := tx.Delete(&recoveryCodeRow{}, codes[0].ID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		used = true
		if err := erasures.Record(ctx, tx, erasures.RecoveryCodeUsed, row.ID, codes[0].ID); err != nil {
			return err
		}
		if err := tx.Model(&memberRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"password_hash": hash, "password_changed_at": s.now()}).Error; err != nil {
			return err
		}
		if err := erasures.Record(ctx, tx, erasures.PasswordChanged, row.ID, 0); err != nil {
			return err
		}
		return tx.Where("member_id = ?", row.ID).Delete(&sessionRow{}).Error
	})
	if err != nil {
		return Member{}, fmt.Errorf("accounts: unable to recover: %w", err)
	}
	if !used {
		return Member{}, apperr.Invalid(map[string]string{"code": wrong})
	}
	return row.member(), nil
}

// RegenerateRecoveryCodes replaces the member's recovery codes after checking their password.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, memberID int64, password string) ([]string, error) {
	var row memberRow
	if err := s.db.WithContext(ctx).Take(&row, memberID).Error; err != nil {
		return nil, fmt.Errorf("accounts: unable to get member: %w", err)
	}
	ok, err := s.check(ctx, row.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Invalid(map[string]string{"codes_password": "That is not your current password."})
	}
	return s.replaceRecoveryCodes(ctx, memberID)
}

// RecoveryCodesLeft counts the member's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, memberID int64) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&recoveryCodeRow{}).Where("member_id = ?", memberID).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("accounts: unable to count recovery codes: %w", err)
	}
	return int(n), nil
}
