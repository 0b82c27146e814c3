// Package throttle counts attempts in fixed time windows in the database, so every instance
// behind a load balancer sees the same count. Keys are hashed with a server secret before they
// are stored: the table never holds an address or a username.
package throttle

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
)

// Limit allows Max hits per Window.
type Limit struct {
	Max    int
	Window time.Duration
}

// Throttle keeps the counters.
type Throttle struct {
	db     *gorm.DB
	secret []byte
	now    func() time.Time
}

// New returns a Throttle whose bucket names are keyed with secret.
func New(db *gorm.DB, secret []byte) *Throttle {
	return &Throttle{db: db, secret: secret, now: time.Now}
}

func (t *Throttle) bucket(key string) string {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte(key))
	return hex.EncodeToString(m.Sum(nil))
}

func (t *Throttle) window(l Limit) (start int64, ends time.Time) {
	w := int64(l.Window / time.Second)
	if w < 1 {
		w = 1
	}
	now := t.now().Unix()
	start = now - now%w
	return start, time.Unix(start+w, 0)
}

// Hit counts one attempt for key and returns an ERATELIMIT error if that went over l. Count
// before the work the limit guards: one atomic statement, so concurrent attempts can never all
// see the same count and slip under the limit together.
func (t *Throttle) Hit(ctx context.Context, key string, l Limit) error {
	_, err := t.Take(ctx, key, l)
	return err
}

// Taken is one counted attempt, which Give returns when it turned out not to count (a
// successful log-in is not a guess).
type Taken struct {
	t      *Throttle
	bucket string
	start  int64
}

// Take counts one attempt for key like Hit, and returns it so that it can be given back.
func (t *Throttle) Take(ctx context.Context, key string, l Limit) (Taken, error) {
	start, ends := t.window(l)
	tk := Taken{t: t, bucket: t.bucket(key), start: start}
	var hits int
	err := t.db.WithContext(ctx).Raw(`INSERT INTO throttle_hits (bucket, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (bucket, window_start) DO UPDATE SET hits = throttle_hits.hits + 1 RETURNING hits`,
		tk.bucket, start).Scan(&hits).Error
	if err != nil {
		return Taken{}, fmt.Errorf("throttle: unable to count: %w", err)
	}
	if hits > l.Max {
		return tk, t.limited(ends)
	}
	return tk, nil
}

// Give takes the attempt back out of its window's count.
func (tk Taken) Give(ctx context.Context) error {
	if tk.t == nil {
		return nil
	}
	err := tk.t.db.WithContext(ctx).Exec(`UPDATE throttle_hits SET hits = hits - 1 WHERE bucket = ? AND window_start = ? AND hits > 0`,
		tk.bucket, tk.start).Error
	if err != nil {
		return fmt.Errorf("throttle: unable to give back: %w", err)
	}
	return nil
}

// Purge deletes windows that ended before cutoff.
func (t *Throttle) Purge(ctx context.Context, cutoff time.Time) error {
	err := t.db.WithContext(ctx).Exec(`DELETE FROM throttle_hits WHERE window_start < ?`, cutoff.Unix()).Error
	if err != nil {
		return fmt.Errorf("throttle: unable to purge: %w", err)
	}
	return nil
}

func (t *Throttle) limited(ends time.Time) error {
	wait := ends.Sub(t.now())
	mins := int((wait + time.Minute - 1) / time.Minute)
	if mins < 1 {
		mins = 1
	}
	unit := "minutes"
	if mins == 1 {
		unit = "minute"
	}
	e := apperr.New(apperr.ERATELIMIT, "Too many attempts. Please try again in %d %s.", mins, unit)
	e.RetryAfter = wait
	return e
}
