package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// SessionLifetime is how long a log-in lasts without signing in again.
const SessionLifetime = 30 * 24 * time.Hour

type sessionRow struct {
	ID        int64 `gorm:"primaryKey"`
	TokenHash string
	MemberID  int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// Viewer is the member making a request, with the session they made it in.
type Viewer struct {
	Member
	SessionID int64
}

// StartSession begins a new session for the member and returns its secret token, which only
// the member's cookie holds.
func (s *Service) StartSession(ctx context.Context, memberID int64) (string, error) {
	token := randomToken(32)
	now := s.now()
	row := sessionRow{TokenHash: tokenHash(token), MemberID: memberID, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("accounts: unable to start session: %w", err)
	}
	return token, nil
}

// ViewerBySession returns who holds token, or ENOTFOUND when the session has ended.
func (s *Service) ViewerBySession(ctx context.Context, token string) (Viewer, error) {
	if token == "" {
		return Viewer{}, apperr.New(apperr.ENOTFOUND, "Not signed in.")
	}
	var out struct {
		SessionID int64
		MemberID  int64
		Username  string
		Role      string
		CreatedAt time.Time
		TimeZone  string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT s.id AS session_id, m.id AS member_id, m.username, m.role, m.created_at, m.time_zone
		FROM sessions s JOIN members m ON m.id = s.member_id
		WHERE s.token_hash = ? AND s.expires_at > ?`, tokenHash(token), s.now()).Scan(&out).Error
	if err != nil {
		return Viewer{}, fmt.Errorf("accounts: unable to find session: %w", err)
	}
	if out.SessionID == 0 {
		return Viewer{}, apperr.New(apperr.ENOTFOUND, "Not signed in.")
	}
	m := Member{ID: out.MemberID, Username: out.Username, Role: out.Role, CreatedAt: out.CreatedAt, TimeZone: out.TimeZone}
	return Viewer{Member: m, SessionID: out.SessionID}, nil
}

// EndSession ends the session holding token (log out).
func (s *Service) EndSession(ctx context.Context, token string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []sessionRow
		if err := tx.Where("token_hash = ?", tokenHash(token)).Find(&rows).Error; err != nil || len(rows) == 0 {
			return err
		}
		if err := tx.Delete(&sessionRow{}, rows[0].ID).Error; err != nil {
			return err
		}
		return erasures.Record(ctx, tx, erasures.SessionEnded, rows[0].MemberID, rows[0].ID)
	})
	if err != nil {
		return fmt.Errorf("accounts: unable to end session: %w", err)
	}
	return nil
}

// EndOtherSessions ends every session of the member but keep, and says how many it ended.
func (s *Service) EndOtherSessions(ctx context.Context, memberID, keep int64) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("member_id = ? AND id <> ?", memberID, keep).Delete(&sessionRow{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		n = res.RowsAffected
		return erasures.Record(ctx, tx, erasures.SessionsEnded, memberID, keep)
	})
	if err != nil {
		return 0, fmt.Errorf("accounts: unable to end sessions: %w", err)
	}
	return int(n), nil
}

// Rechange re-applies, inside tx, what a member did to their sign-in as the erasure list
// describes it, so a restored backup brings back no ended session, replaced password or used
// or replaced recovery code. A password changed since the backup leaves the account with no
// usable password: the member signs in with a recovery code, or an admin resets it.
func Rechange(ctx context.Context, tx *gorm.DB, e erasures.Erasure) error {
	db := tx.WithContext(ctx)
	switch e.Kind {
	case erasures.SessionEnded:
		return db.Delete(&sessionRow{}, e.ObjectID).Error
	case erasures.SessionsEnded:
		return db.Where("member_id = ? AND id <> ? AND created_at <= ?", e.MemberID, e.ObjectID, e.CreatedAt).Delete(&sessionRow{}).Error
	case erasures.PasswordChanged:
		if err := db.Model(&memberRow{}).Where("id = ? AND password_changed_at <= ?", e.MemberID, e.CreatedAt).
			Updates(map[string]any{"password_hash": voidPassword, "password_changed_at": e.CreatedAt}).Error; err != nil {
			return err
		}
		return db.Where("member_id = ? AND id <> ? AND created_at <= ?", e.MemberID, e.ObjectID, e.CreatedAt).Delete(&sessionRow{}).Error
	case erasures.RecoveryCodeUsed:
		return db.Delete(&recoveryCodeRow{}, e.ObjectID).Error
	case erasures.RecoveryCodesNew:
		return db.Where("member_id = ?", e.MemberID).Delete(&recoveryCodeRow{}).Error
	}
	return fmt.Errorf("accounts: %q is not a change accounts re-applies", e.Kind)
}

// voidPassword is a stored hash no password matches.
const voidPassword = "void: replaced after the backup this account was restored from"

// PurgeExpiredSessions deletes sessions past their end.
func (s *Service) PurgeExpiredSessions(ctx context.Context) error {
	err := s.db.WithContext(ctx).Where("expires_at <= ?", s.now()).Delete(&sessionRow{}).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("accounts: unable to purge sessions: %w", err)
	}
	return nil
}

type viewerKey struct{}

// WithViewer returns ctx carrying the signed-in viewer.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the signed-in viewer carried in ctx, if any.
func ViewerFrom(ctx context.Context) (Viewer, bool) {
	v, ok := ctx.Value(viewerKey{}).(Viewer)
	return v, ok
}

// Session is one of the member's sign-ins, as their export and dashboard show it. Haven keeps
// no device, browser or address with a session: only when it began and when it ends.
type Session struct {
	ID                   int64
	CreatedAt, ExpiresAt time.Time
}

// SignIn is what accounts holds about a member's sign-in, never a secret.
type SignIn struct {
	PasswordChangedAt time.Time
	Sessions          []Session
	RecoveryCodesLeft int
}

// SignInOf returns what accounts holds about the member's sign-in.
func (s *Service) SignInOf(ctx context.Context, memberID int64) (SignIn, error) {
	var out SignIn
	db := s.db.WithContext(ctx)
	if err := db.Raw(`SELECT password_changed_at FROM members WHERE id = ?`, memberID).Scan(&out.PasswordChangedAt).Error; err != nil {
		return out, fmt.Errorf("accounts: unable to read member: %w", err)
	}
	if err := db.Raw(`SELECT id, created_at, expires_at FROM sessions WHERE member_id = ? AND expires_at > ? ORDER BY id`,
		memberID, s.now()).Scan(&out.Sessions).Error; err != nil {
		return out, fmt.Errorf("accounts: unable to read sessions: %w", err)
	}
	n, err := s.RecoveryCodesLeft(ctx, memberID)
	out.RecoveryCodesLeft = n
	return out, err
}
