package accounts_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// The other packages' tests hash with cheap parameters (accounts.UseCheapHashingInTests); this
// package's do not, so here the stored hash is checked for production's: argon2id, 19 MiB,
// 2 passes, 1 lane, a 16-byte salt and a 32-byte key.
func TestPasswordsAreStoredWithProductionParameters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := accounts.NewService(db)
		m, err := s.Create(ctx, "hash_check", password, accounts.RoleMember)
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := db.Raw(`SELECT password_hash FROM members WHERE id = ?`, m.ID).Scan(&stored).Error; err != nil {
			t.Fatal(err)
		}
		// base64 without padding: 16 bytes are 22 characters, 32 bytes are 43.
		want := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
		if !want.MatchString(stored) {
			t.Errorf("stored hash %q does not use the production parameters", stored)
		}
		if _, err := s.Authenticate(ctx, "hash_check", password); err != nil {
			t.Errorf("the password does not check against its hash: %v", err)
		}
		if _, err := s.Authenticate(ctx, "hash_check", password+"x"); err == nil {
			t.Error("a wrong password checks")
		}
	})
}
