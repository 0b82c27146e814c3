package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

const password = "long password 123"

func rows(t *testing.T, db *gorm.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDeleteNeedsThePasswordAndEndsEverySession(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := accounts.NewService(db)
		m, err := s.Create(ctx, "leaving_member", password, accounts.RoleMember)
		if err != nil {
			t.Fatal(err)
		}
		stay, _ := s.Create(ctx, "staying_member", password, accounts.RoleMember)
		tokens := []string{}
		for range 2 {
			tok, err := s.StartSession(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, tok)
		}
		other, _ := s.StartSession(ctx, stay.ID)
		ran := 0
		count := func(_ context.Context, _ *gorm.DB, id int64) error {
			if id != m.ID {
				t.Errorf("eraser called for member %d, want %d", id, m.ID)
			}
			ran++
			return nil
		}
		for _, wrong := range []string{"", "not my password", password + " "} {
			err := s.Delete(ctx, m.ID, wrong, count)
			if e, ok := apperr.As(err); !ok || e.Fields["password"] == "" {
				t.Errorf("password %q: %v", wrong, err)
			}
		}
		if ran != 0 || rows(t, db, `SELECT COUNT(*) FROM members WHERE id = ?`, m.ID) != 1 {
			t.Fatalf("a wrong password deleted something (erasers ran %d times)", ran)
		}
		start := time.Now()
		if err := s.Delete(ctx, m.ID, password, count, count); err != nil {
			t.Fatal(err)
		}
		t.Logf("deleted in %v (most of it the password check)", time.Since(start))
		if ran != 2 {
			t.Errorf("erasers ran %d times, want 2", ran)
		}
		for _, tok := range tokens {
			if _, err := s.ViewerBySession(ctx, tok); apperr.Code(err) != apperr.ENOTFOUND {
				t.Errorf("a session outlived the account: %v", err)
			}
		}
		for table, n := range map[string]int64{
			"members":        rows(t, db, `SELECT COUNT(*) FROM members WHERE id = ?`, m.ID),
			"sessions":       rows(t, db, `SELECT COUNT(*) FROM sessions WHERE member_id = ?`, m.ID),
			"recovery_codes": rows(t, db, `SELECT COUNT(*) FROM recovery_codes WHERE member_id = ?`, m.ID),
		} {
			if n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		if _, err := s.ViewerBySession(ctx, other); err != nil {
			t.Errorf("another member's session ended: %v", err)
		}
		if _, err := s.Authenticate(ctx, "leaving_member", password); apperr.Code(err) != apperr.EUNAUTHORIZED {
			t.Errorf("log-in after deletion: %v", err)
		}
		if err := s.Delete(ctx, m.ID, password); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("deleting twice: %v", err)
		}
		if _, err := s.Create(ctx, "leaving_member", password, accounts.RoleMember); err != nil {
			t.Errorf("the username was not freed: %v", err)
		}
	})
}

// Every domain's part goes, or none does.
func TestDeleteIsOneTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := accounts.NewService(db)
		m, _ := s.Create(ctx, "half_deleted", password, accounts.RoleMember)
		tok, _ := s.StartSession(ctx, m.ID)
		wrote := func(ctx context.Context, tx *gorm.DB, id int64) error {
			return tx.Exec(`INSERT INTO site_settings (key, value, updated_at) VALUES ('erased_by_first', 'yes', ?)`, time.Now().UTC()).Error
		}
		broken := errors.New("second eraser failed")
		fails := func(context.Context, *gorm.DB, int64) error { return broken }
		if err := s.Delete(ctx, m.ID, password, wrote, fails); !errors.Is(err, broken) {
			t.Errorf("error %v, want the eraser's", err)
		}
		if rows(t, db, `SELECT COUNT(*) FROM site_settings WHERE key = 'erased_by_first'`) != 0 {
			t.Error("the first eraser's write survived the failure")
		}
		if _, err := s.ViewerBySession(ctx, tok); err != nil {
			t.Errorf("the account is half gone: %v", err)
		}
	})
}
