package accounts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The functions here are how other domains read members: they take the caller's handle or
// transaction, and ids or usernames, so no other package names the members table.

// Usernames returns the usernames of the members among ids; a deleted account is absent.
func Usernames(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	ids = distinct(ids)
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID       int64
		Username string
	}
	if err := db.WithContext(ctx).Raw(`SELECT id, username FROM members WHERE id IN ?`, inList(ids)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("accounts: unable to read usernames: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Username
	}
	return out, nil
}

// UsernameOf is a column expression for the username of the member whose id is in column (NULL
// for a deleted account), for a page's list statement that shows its authors' names: a second
// statement would cost a round trip, and its IN list a new prepared statement per length.
func UsernameOf(column string) string {
	return `(SELECT um.username FROM members um WHERE um.id = ` + column + `)`
}

// Members returns the members among ids (username, role and when they joined).
func Members(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]Member, error) {
	out := make(map[int64]Member, len(ids))
	ids = distinct(ids)
	if len(ids) == 0 {
		return out, nil
	}
	var rows []memberRow
	if err := db.WithContext(ctx).Raw(`SELECT id, username, role, created_at FROM members WHERE id IN ?`, inList(ids)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("accounts: unable to read members: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.member()
	}
	return out, nil
}

// Named returns the member with this username (any case, surrounding spaces ignored), and
// whether there is one.
func Named(ctx context.Context, db *gorm.DB, username string) (Member, bool, error) {
	var rows []memberRow
	err := db.WithContext(ctx).Raw(`SELECT id, username, role, created_at FROM members WHERE username_key = ?`,
		strings.ToLower(strings.TrimSpace(username))).Scan(&rows).Error
	if err != nil {
		return Member{}, false, fmt.Errorf("accounts: unable to find member: %w", err)
	}
	if len(rows) == 0 {
		return Member{}, false, nil
	}
	return rows[0].member(), true, nil
}

// IDsByUsernameKey returns the ids of the members with these lowercased usernames.
func IDsByUsernameKey(ctx context.Context, db *gorm.DB, keys []string) ([]int64, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var ids []int64
	if err := db.WithContext(ctx).Raw(`SELECT id FROM members WHERE username_key IN ?`, keys).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("accounts: unable to find members: %w", err)
	}
	return ids, nil
}

// UsernamesByKey returns, for those of the lowercased names that are members now, key → username.
func UsernamesByKey(ctx context.Context, db *gorm.DB, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	var rows []struct{ UsernameKey, Username string }
	if err := db.WithContext(ctx).Raw(`SELECT username_key, username FROM members WHERE username_key IN ?`, inList(keys)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("accounts: unable to find members: %w", err)
	}
	for _, r := range rows {
		out[r.UsernameKey] = r.Username
	}
	return out, nil
}

// AdminIDs lists the site admins.
func AdminIDs(ctx context.Context, db *gorm.DB) ([]int64, error) {
	var ids []int64
	if err := db.WithContext(ctx).Raw(`SELECT id FROM members WHERE role = ? ORDER BY id`, RoleAdmin).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("accounts: unable to list admins: %w", err)
	}
	return ids, nil
}

// CountAdmins returns how many site admins there are.
func CountAdmins(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM members WHERE role = ?`, RoleAdmin).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("accounts: unable to count admins: %w", err)
	}
	return n, nil
}

// inList pads a list for an IN (…) to the next power of two (at least 4) by repeating its last
// item: the statement's text then takes a few forms, not one per length, and each form is
// prepared once rather than at almost every page.
func inList[T any](list []T) []T {
	n := 4
	for n < len(list) {
		n *= 2
	}
	if len(list) == 0 || len(list) == n {
		return list
	}
	out := make([]T, n)
	copy(out, list)
	for i := len(list); i < n; i++ {
		out[i] = list[len(list)-1]
	}
	return out
}

func distinct(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// CreatedBefore returns those of ids whose accounts were made before cutoff.
func CreatedBefore(ctx context.Context, db *gorm.DB, ids []int64, cutoff time.Time) ([]int64, error) {
	var out []int64
	for start := 0; start < len(ids); start += 1000 {
		var part []int64
		err := db.WithContext(ctx).Raw(`SELECT id FROM members WHERE id IN ? AND created_at <= ? ORDER BY id`,
			ids[start:min(start+1000, len(ids))], cutoff).Scan(&part).Error
		if err != nil {
			return nil, fmt.Errorf("accounts: unable to read members: %w", err)
		}
		out = append(out, part...)
	}
	return out, nil
}
