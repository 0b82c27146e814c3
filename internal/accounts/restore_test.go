package accounts_test

import (
	"context"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// snapshot holds the sign-in tables as a backup would, and puts them back as a restore would.
type snapshot map[string][]map[string]any

func takeSnapshot(t *testing.T, db *gorm.DB) snapshot {
	t.Helper()
	s := snapshot{}
	for _, table := range []string{"members", "sessions", "recovery_codes", "erasures"} {
		var rows []map[string]any
		if err := db.Table(table).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		s[table] = rows
	}
	return s
}

func (s snapshot) restore(t *testing.T, db *gorm.DB) {
	t.Helper()
	for _, table := range []string{"sessions", "recovery_codes", "erasures"} {
		if err := db.Exec(`DELETE FROM ` + table).Error; err != nil {
			t.Fatal(err)
		}
		for _, r := range s[table] {
			if err := db.Table(table).Create(r).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, r := range s["members"] {
		if err := db.Exec(`UPDATE members SET password_hash = ?, password_changed_at = ? WHERE id = ?`,
			r["password_hash"], r["password_changed_at"], r["id"]).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// A restore must not bring back a password the member replaced, a recovery code they used or
// replaced, or a session they ended: each is on the erasure list and re-applied.
func TestRestoreBringsBackNoReplacedPasswordCodeOrSession(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		ctx := context.Background()
		s := accounts.NewService(db)
		m, codes, err := s.SignUp(ctx, "careful_member", password, password)
		if err != nil {
			t.Fatal(err)
		}
		var tokens []string
		for range 3 {
			tok, _ := s.StartSession(ctx, m.ID)
			tokens = append(tokens, tok)
		}
		backup := takeSnapshot(t, db)

		if err := s.EndSession(ctx, tokens[0]); err != nil { // log out on one device
			t.Fatal(err)
		}
		keep, _ := s.ViewerBySession(ctx, tokens[1])
		if err := s.ChangePassword(ctx, m.ID, password, "new long password 456", "new long password 456", keep.SessionID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Recover(ctx, "careful_member", codes[0], "third long password 789", "third long password 789"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RegenerateRecoveryCodes(ctx, m.ID, "third long password 789"); err != nil {
			t.Fatal(err)
		}
		list, err := erasures.After(ctx, db, 0)
		if err != nil {
			t.Fatal(err)
		}

		backup.restore(t, db)
		if _, err := s.Authenticate(ctx, "careful_member", password); err != nil {
			t.Fatal("the old password does not work in the restored tables; the test proves nothing")
		}
		apply := map[string]erasures.Applier{}
		for _, k := range erasures.Kinds {
			apply[k] = accounts.Rechange
		}
		if _, err := erasures.Reapply(ctx, db, list, apply); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "careful_member", password); err == nil {
			t.Error("the password replaced after the backup works again after the restore")
		}
		for i, tok := range tokens {
			if _, err := s.ViewerBySession(ctx, tok); err == nil {
				t.Errorf("session %d, ended after the backup, works again after the restore", i)
			}
		}
		for i, c := range codes {
			if _, err := s.Recover(ctx, "careful_member", c, "fourth long password 0", "fourth long password 0"); err == nil {
				t.Errorf("recovery code %d, used or replaced after the backup, works again after the restore", i)
			}
		}
	})
}
