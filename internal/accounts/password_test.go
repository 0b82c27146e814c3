package accounts

import (
	"context"
	"encoding/base64"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"
)

// hashWith encodes password's argon2id hash with the given parameters.
func hashWith(password string, m, t uint32, p uint8, saltLen, keyLen int) string {
	salt := make([]byte, saltLen)
	key := argon2.IDKey([]byte(password), salt, t, m, p, uint32(keyLen))
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// A stored hash whose parameters would make one check take gigabytes, minutes or every core is
// refused without running, even with the right password (a tampered or imported row).
func TestStoredHashParametersAreBounded(t *testing.T) {
	// Not parallel: it measures the whole process's heap.
	const pw = "the right password"
	if !checkPassword(hashWith(pw, argonMemory, argonTime, argonThreads, argonSaltLen, argonKeyLen), pw) {
		t.Fatal("a hash with Haven's own parameters does not match")
	}
	for name, h := range map[string]string{
		"memory over 64 MiB": hashWith(pw, 65*1024, 1, 1, 16, 32),
		"11 passes":          hashWith(pw, 64, 11, 1, 16, 32),
		"9 lanes":            hashWith(pw, 72, 1, 9, 16, 32),
		"4-byte salt":        hashWith(pw, 64, 1, 1, 4, 32),
		"8-byte key":         hashWith(pw, 64, 1, 1, 16, 8),
		"128-byte key":       hashWith(pw, 64, 1, 1, 16, 128),
	} {
		if checkPassword(h, pw) {
			t.Errorf("%s: accepted", name)
		}
	}
	// Refused before anything is allocated: a 4 GiB hash costs nothing to turn down.
	huge := fmt.Sprintf("$argon2id$v=%d$m=%d,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", argon2.Version, 4<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	checkPassword(huge, pw)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("checking a 4 GiB hash allocated %d bytes", grew)
	}
}

// Log-in through the store refuses such a row too.
func TestAuthenticateRefusesAnAbsurdStoredHash(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := NewService(db)
		const pw = "the right password"
		m, err := s.Create(ctx, "absurd", pw, RoleMember)
		if err != nil {
			t.Fatal(err)
		}
		db.Exec(`UPDATE members SET password_hash = ? WHERE id = ?`, hashWith(pw, 64, 11, 1, 16, 32), m.ID)
		if _, err := s.Authenticate(ctx, "absurd", pw); apperr.Code(err) != apperr.EUNAUTHORIZED {
			t.Errorf("log-in with an out-of-bounds hash: %v", err)
		}
	})
}

// However many log-ins arrive at once, only as many hashes as the gate has slots hold memory:
// 40 at once with 2 slots stay far below the 40 × 19 MiB they would take together.
func TestConcurrentHashesAreBounded(t *testing.T) {
	// Not parallel: it measures the whole process's heap.
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := NewService(db).WithHashLimit(2, time.Minute)
		if _, err := s.Create(ctx, "crowded", "the right password", RoleMember); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		peak := base.HeapInuse
		done := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(2 * time.Millisecond):
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
			}
		}()
		var wg sync.WaitGroup
		for range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Authenticate(ctx, "crowded", "a wrong password"); apperr.Code(err) != apperr.EUNAUTHORIZED {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		close(done)
		<-sampled
		grew := (peak - base.HeapInuse) >> 20
		t.Logf("40 concurrent checks, 2 slots: heap grew by %d MiB at most", grew)
		if grew > 200 {
			t.Errorf("40 concurrent checks grew the heap by %d MiB; 2 slots should hold about 40", grew)
		}
	})
}

// With every slot busy past the wait, a check is turned away with a time to come back, and
// runs again once a slot is free.
func TestBusyHashesAskToComeBack(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := NewService(db)
		if _, err := s.Create(ctx, "queued", "the right password", RoleMember); err != nil {
			t.Fatal(err)
		}
		s.WithHashLimit(1, 20*time.Millisecond)
		s.hashes.slots <- struct{}{} // another log-in is hashing
		_, err := s.Authenticate(ctx, "queued", "the right password")
		if e, ok := apperr.As(err); !ok || e.Code != apperr.ERATELIMIT || e.RetryAfter <= 0 {
			t.Fatalf("check with every slot busy: %v", err)
		}
		<-s.hashes.slots
		if _, err := s.Authenticate(ctx, "queued", "the right password"); err != nil {
			t.Errorf("check with a free slot: %v", err)
		}
	})
}
