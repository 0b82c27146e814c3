package privacy

import (
	"context"
	"fmt"
	"sync"

	"github.com/haven-forum/haven/internal/accounts"
	"gorm.io/gorm"
)

// consentMemo is one request's view of its viewer's consents: read whole by the request's first
// check, then answered from memory. It lives in the request's context and nowhere else, so a
// withdrawal made on any instance holds from the next request on; a consent written within the
// request clears it.
type consentMemo struct {
	member int64
	mu     sync.Mutex // the home page checks from two goroutines
	all    bool       // every purpose was read, into rows
	rows   []consentRow
	on     map[string]bool
}

type consentMemoKey struct{}

// WithConsentMemo returns ctx with a memo for its viewer's consents, for one request (the web
// layer's session middleware). Without a viewer it returns ctx as it is.
func WithConsentMemo(ctx context.Context) context.Context {
	v, ok := accounts.ViewerFrom(ctx)
	if !ok {
		return ctx
	}
	return context.WithValue(ctx, consentMemoKey{}, &consentMemo{member: v.ID, on: map[string]bool{}})
}

// memoFor is ctx's memo if it holds memberID's consents.
func memoFor(ctx context.Context, memberID int64) *consentMemo {
	m, _ := ctx.Value(consentMemoKey{}).(*consentMemo)
	if m == nil || m.member != memberID {
		return nil
	}
	return m
}

// granted checks one purpose for one member: from the request's memo when it holds them (the
// first check reads all their consents in one statement), else from the database.
func granted(ctx context.Context, db *gorm.DB, memberID int64, purpose string) (bool, error) {
	m := memoFor(ctx, memberID)
	if m == nil {
		return grantedNow(ctx, db, memberID, purpose)
	}
	if _, ok := Lookup(purpose); !ok {
		return false, fmt.Errorf("privacy: unknown purpose %q", purpose)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if on, ok := m.on[purpose]; ok {
		return on, nil
	}
	if _, err := m.load(ctx, db); err != nil {
		return false, err
	}
	return m.on[purpose], nil
}

// consentRows are the member's consent rows: the request's memo's when it holds them.
func consentRows(ctx context.Context, db *gorm.DB, memberID int64) ([]consentRow, error) {
	m := memoFor(ctx, memberID)
	if m == nil {
		return readConsentRows(ctx, db, memberID)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.all {
		return m.rows, nil
	}
	return m.load(ctx, db)
}

// load reads every consent of the memo's member; the caller holds m.mu.
func (m *consentMemo) load(ctx context.Context, db *gorm.DB) ([]consentRow, error) {
	rows, err := readConsentRows(ctx, db, m.member)
	if err != nil {
		return nil, err
	}
	for _, p := range Purposes {
		m.on[p.Key] = false
	}
	for _, r := range rows {
		if p, ok := Lookup(r.Purpose); ok {
			m.on[r.Purpose] = r.Granted && r.Version == p.Version
		}
	}
	m.rows, m.all = rows, true
	return rows, nil
}

func readConsentRows(ctx context.Context, db *gorm.DB, memberID int64) ([]consentRow, error) {
	var rows []consentRow
	if err := db.WithContext(ctx).Where("member_id = ?", memberID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("privacy: unable to read consents: %w", err)
	}
	return rows, nil
}

// knownOff reports whether the request's memo already holds the purpose as off for memberID.
func knownOff(ctx context.Context, memberID int64, purpose string) bool {
	m := memoFor(ctx, memberID)
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	on, ok := m.on[purpose]
	return ok && !on
}

// learnConsent tells the request's memo what a statement that gated on the consent found.
func learnConsent(ctx context.Context, memberID int64, purpose string, on bool) {
	if m := memoFor(ctx, memberID); m != nil {
		m.mu.Lock()
		m.on[purpose] = on
		m.mu.Unlock()
	}
}

// forgetConsents clears the request's memo after a consent was written in it.
func forgetConsents(ctx context.Context) {
	if m, _ := ctx.Value(consentMemoKey{}).(*consentMemo); m != nil {
		m.mu.Lock()
		m.all, m.rows, m.on = false, nil, map[string]bool{}
		m.mu.Unlock()
	}
}
