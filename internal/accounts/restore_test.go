package accounts_test

import (
	"context"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// snapshot holds copies of the sign-in tables inside the database, byte for byte as a backup
// would (a copy through Go values would change how times are written), and puts them back as a
// restore would.
type snapshot struct{}

var snapshotTables = []string{"members", "sessions", "recovery_codes", "erasures"}

func takeSnapshot(t *testing.T, db *gorm.DB) snapshot {
	t.Helper()
	for _, table := range snapshotTables {
		if err := db.Exec(`CREATE TABLE snap_` + table + ` AS SELECT * FROM ` + table).Error; err != nil {
			t.Fatal(err)
		}
	}
	return snapshot{}
}

func (snapshot) restore(t *testing.T, db *gorm.DB) {
	t.Helper()
	for _, table := range snapshotTables[1:] {
		if err := db.Exec(`DELETE FROM ` + table).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(`INSERT INTO ` + table + ` SELECT * FROM snap_` + table).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(`UPDATE members SET
		password_hash = (SELECT s.password_hash FROM snap_members s WHERE s.id = members.id),
		password_changed_at = (SELECT s.password_changed_at FROM snap_members s WHERE s.id = members.id)`).Error; err != nil {
		t.Fatal(err)
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
