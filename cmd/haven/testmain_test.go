package main

import (
	"os"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
)

// Passwords are hashed cheaply here (except by the binary the crash tests build);
// internal/accounts checks production's parameters.
func TestMain(m *testing.M) {
	accounts.UseCheapHashingInTests()
	dir, err := os.MkdirTemp("", "haven-bin-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
