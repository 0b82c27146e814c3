package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"golang.org/x/crypto/argon2"
)

// argon2id parameters from OWASP's password storage guidance (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Bounds on the parameters of a stored hash: a hash outside them is refused unchecked, so a
// tampered or imported row cannot make one log-in take gigabytes or minutes.
const (
	storedMemoryMax = 64 * 1024 // KiB
	storedTimeMax   = 10
	storedThreadMax = 8
	storedKeyMin    = 16
	storedKeyMax    = 64
	storedSaltMin   = 8
	storedSaltMax   = 64
)

// hashParams are the cost of a new password hash; a stored hash carries its own, so checking
// one never depends on these.
type hashParams struct {
	memory, time uint32
	threads      uint8
}

var productionParams = hashParams{memory: argonMemory, time: argonTime, threads: argonThreads}

// newServiceParams is what NewService hashes with: production's, except in a test binary that
// asked for cheap ones.
var newServiceParams = productionParams

// UseCheapHashingInTests makes services created afterwards hash new passwords with the cheapest
// argon2id parameters, so a test suite that signs up hundreds of members spends its time on
// what it tests. Call it from TestMain before any test runs; outside a test binary it panics.
func UseCheapHashingInTests() {
	if !testing.Testing() {
		panic("accounts: UseCheapHashingInTests called outside a test binary")
	}
	newServiceParams = hashParams{memory: 8, time: 1, threads: 1}
}

func hashPassword(p hashParams, password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("accounts: unable to make salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether password matches encoded, in constant time for a given hash.
// A hash whose parameters are outside the bounds above matches nothing.
func checkPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var m, t uint32
	var p uint8
	var rest string
	if n, _ := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d%s", &m, &t, &p, &rest); n != 3 {
		return false
	}
	if m > storedMemoryMax || t < 1 || t > storedTimeMax || p < 1 || p > storedThreadMax || m < 8*uint32(p) {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < storedSaltMin || len(salt) > storedSaltMax ||
		len(want) < storedKeyMin || len(want) > storedKeyMax {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// hashGate bounds how many argon2id hashes run at once: each takes argonMemory, and a crowd of
// log-ins must not take the server's memory with it. Past a short wait the caller is told to
// come back, rather than queueing without end.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newHashGate(slots int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, max(slots, 1)), wait: wait}
}

// hashBusyRetry is what a member is asked to wait when every slot stayed busy.
const hashBusyRetry = 5 * time.Second

func (g *hashGate) run(ctx context.Context, fn func()) error {
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-timer.C:
		e := apperr.New(apperr.ERATELIMIT, "Haven is busy checking other passwords right now. Please try again in a few seconds.")
		e.RetryAfter = hashBusyRetry
		return e
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.slots }()
	fn()
	return nil
}

// hash hashes a new password in one of the gate's slots.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	var h string
	var err error
	if gerr := s.hashes.run(ctx, func() { h, err = hashPassword(s.params, password) }); gerr != nil {
		return "", gerr
	}
	return h, err
}

// check checks a password against a stored hash in one of the gate's slots.
func (s *Service) check(ctx context.Context, encoded, password string) (bool, error) {
	ok := false
	err := s.hashes.run(ctx, func() { ok = checkPassword(encoded, password) })
	return ok, err
}

// dummyHash is checked against when a username does not exist, so a failed log-in takes as
// long whether or not the account is there.
var dummyHash, _ = hashPassword(productionParams, "haven-dummy-password-for-timing")

// Recovery codes and session tokens carry 80+ bits of randomness, so a fast hash is enough to
// make a stolen table useless; argon2 is for the low-entropy secrets people choose.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomToken(nbytes int) string {
	b := make([]byte, nbytes)
	if _, err := rand.Read(b); err != nil {
		panic("accounts: no randomness: " + err.Error()) // the OS promises this never fails
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCode returns a code like "ABCD-EFGH-JKLM-NPQR" (80 bits).
func newRecoveryCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("accounts: no randomness: " + err.Error())
	}
	s := codeEncoding.EncodeToString(b) // 16 characters
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// normalizeCode lets a member type a code in any case, with or without dashes and spaces.
func normalizeCode(code string) string {
	code = strings.ToUpper(code)
	code = strings.NewReplacer("-", "", " ", "").Replace(code)
	if len(code) != 16 {
		return code
	}
	return code[0:4] + "-" + code[4:8] + "-" + code[8:12] + "-" + code[12:16]
}
