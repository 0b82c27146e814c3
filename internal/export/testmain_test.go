package export_test

import (
	"os"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
)

// Passwords are hashed cheaply here; internal/accounts checks production's parameters.
func TestMain(m *testing.M) {
	accounts.UseCheapHashingInTests()
	os.Exit(m.Run())
}
