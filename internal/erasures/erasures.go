// Package erasures keeps the list of erasures: which kind of thing was erased, whose, and when,
// never what it said. Each erasure path writes its entry in its own transaction, so the list
// is exactly what was erased; restoring a backup re-applies every entry made after the backup
// was taken, so a restore never brings erased data back.
//
// The list also holds every change by which a member took something back or changed their
// own choices (an edit, an undone reaction, a mute or unmute, a left group, cleared
// notifications, settings, ended sessions, a new password or recovery codes), so a restore
// re-applies those too. What a restore may still roll back is only what a member added since
// the backup was taken (posts, replies, reactions, joins, consents switched on, a longer
// retention): losing those never exposes anything the member withdrew.
package erasures

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Kinds of erasure. ObjectID names what the kind says; MemberID is whose data it was.
const (
	MemberRecord     = "member_record"  // privacy: the whole activity record and all derived from it
	ActivityItem     = "activity_item"  // privacy: one recorded event (object: event id)
	Interest         = "interest"       // privacy: the events behind one interest (object: group id)
	Retention        = "retention"      // privacy: events older than a shortened retention (object: days)
	NotInterested    = "not_interested" // privacy: "not interested" choices (object: topic id; none: all of them)
	ReadPosition     = "read_position"  // privacy: where the member stopped reading (object: topic id; none: all of them)
	Account          = "account"        // accounts: the account, its posts kept as a former member's
	AccountWithPosts = "account_posts"  // accounts: the account and the text of every post it wrote
	Post             = "post"           // forum: a post deleted by its author (object: post id)
	PostRemoved      = "post_removed"   // forum: a post's text removed by a moderator (object: post id)
	// ConsentWithdrawn is no erasure but belongs with them: a restore must not switch a purpose
	// back on that the member switched off (object: the purpose's code in internal/privacy).
	ConsentWithdrawn = "consent_withdrawn"

	// Changes a member made to their own content and choices, re-applied by a restore.
	PostEdited           = "post_edited"           // forum: a restore redacts the older text (object: post id)
	ReactionRemoved      = "reaction_removed"      // forum: object: post id; detail: the reaction's kind
	MuteAdded            = "mute_added"            // forum: object: the muted member
	MuteRemoved          = "mute_removed"          // forum: object: the unmuted member
	GroupLeft            = "group_left"            // forum: object: group id
	NotificationsCleared = "notifications_cleared" // forum: every notification up to then
	NotificationSettings = "notification_settings" // forum: detail: the kinds switched off, comma-separated
	HiddenWarnings       = "hidden_warnings"       // forum: detail: the member's hidden words, one a line
	BookmarkRemoved      = "bookmark_removed"      // forum: object: post id
	ProfileChanged       = "profile_changed"       // forum: a restore clears the older bio; detail: "hide_posts" when the list is hidden
	FollowRemoved        = "follow_removed"        // forum: object: the topic no longer followed
	FollowSettings       = "follow_settings"       // forum: detail: "on" or "off", following topics one replies to
	SessionEnded         = "session_ended"         // accounts: a log-out (object: session id)
	SessionsEnded        = "sessions_ended"        // accounts: every session but one (object: the kept session)
	PasswordChanged      = "password_changed"      // accounts: a restore voids the older password (object: the kept session)
	RecoveryCodeUsed     = "recovery_code_used"    // accounts: object: the code's id
	RecoveryCodesNew     = "recovery_codes_new"    // accounts: the older codes are void
)

// Erasure is one entry of the list.
type Erasure struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	MemberID  int64     `json:"member_id,omitempty"`
	ObjectID  int64     `json:"object_id,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

type erasureRow struct {
	ID        int64 `gorm:"primaryKey"`
	Kind      string
	MemberID  *int64
	ObjectID  *int64
	Detail    string
	CreatedAt time.Time
}

func (erasureRow) TableName() string { return "erasures" }

func nullable(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Record adds an entry inside tx, the transaction of the erasure it describes.
func Record(ctx context.Context, tx *gorm.DB, kind string, memberID, objectID int64) error {
	return RecordDetail(ctx, tx, kind, memberID, objectID, "")
}

// RecordDetail adds an entry that also names a choice (a code or the member's own setting,
// never text anyone wrote in a post).
func RecordDetail(ctx context.Context, tx *gorm.DB, kind string, memberID, objectID int64, detail string) error {
	// A setting's newest entry is all a restore needs: older ones would only keep what the
	// member chose before (their hidden words among them).
	if slices.Contains(replaced, kind) && memberID != 0 {
		if err := tx.WithContext(ctx).Exec(`DELETE FROM erasures WHERE member_id = ? AND kind = ?`, memberID, kind).Error; err != nil {
			return fmt.Errorf("erasures: unable to replace the older entry: %w", err)
		}
	}
	row := erasureRow{Kind: kind, MemberID: nullable(memberID), ObjectID: nullable(objectID), Detail: detail, CreatedAt: time.Now().UTC()}
	if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("erasures: unable to record: %w", err)
	}
	return nil
}

// Kinds lists every kind of entry: a restore must know how to re-apply each.
var Kinds = append([]string{MemberRecord, ActivityItem, Interest, Retention, NotInterested, ReadPosition, Account, AccountWithPosts,
	Post, PostRemoved, ConsentWithdrawn}, changes...)

// changes are the kinds that record a member's own changes rather than an erasure.
var changes = []string{PostEdited, ReactionRemoved, MuteAdded, MuteRemoved, GroupLeft, NotificationsCleared,
	NotificationSettings, HiddenWarnings, BookmarkRemoved, ProfileChanged, FollowRemoved, FollowSettings, SessionEnded, SessionsEnded, PasswordChanged, RecoveryCodeUsed, RecoveryCodesNew}

// replaced are the kinds whose entry holds a whole setting, so each replaces the member's older one.
var replaced = []string{NotificationSettings, HiddenWarnings, ProfileChanged, FollowSettings}

// forgetChanges deletes a member's change entries when their account goes: the account's own
// entry, newer than all of them, removes on a restore everything they would re-apply, and
// the list must not keep their settings or whom they muted.
func forgetChanges(ctx context.Context, tx *gorm.DB, memberID int64) error {
	err := tx.WithContext(ctx).Exec(`DELETE FROM erasures WHERE member_id = ? AND kind IN ?`, memberID, changes).Error
	if err != nil {
		return fmt.Errorf("erasures: unable to forget changes: %w", err)
	}
	return nil
}

// Reader reads the list for a member's export and dashboard.
type Reader struct{ db *gorm.DB }

// NewReader returns a Reader of db's list.
func NewReader(db *gorm.DB) *Reader { return &Reader{db: db} }

// OfMember returns a member's entries, oldest first: part of their export.
func (r *Reader) OfMember(ctx context.Context, memberID int64) ([]Erasure, error) {
	var rows []erasureRow
	if err := r.db.WithContext(ctx).Where("member_id = ?", memberID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("erasures: unable to read the list: %w", err)
	}
	return fromRows(rows), nil
}

// OfAccount returns the entry for deleting an account, as an eraser that runs inside the
// deleting transaction.
func OfAccount(withPosts bool) func(ctx context.Context, tx *gorm.DB, memberID int64) error {
	kind := Account
	if withPosts {
		kind = AccountWithPosts
	}
	return func(ctx context.Context, tx *gorm.DB, memberID int64) error {
		if err := forgetChanges(ctx, tx, memberID); err != nil {
			return err
		}
		return Record(ctx, tx, kind, memberID, 0)
	}
}

// Last returns the id of the newest entry, 0 for none: in a backup, the point it was taken.
func Last(ctx context.Context, db *gorm.DB) (int64, error) {
	var id int64
	if err := db.WithContext(ctx).Raw(`SELECT COALESCE(MAX(id), 0) FROM erasures`).Scan(&id).Error; err != nil {
		return 0, fmt.Errorf("erasures: unable to read the list: %w", err)
	}
	return id, nil
}

// After returns the entries newer than id, oldest first.
func After(ctx context.Context, db *gorm.DB, id int64) ([]Erasure, error) {
	var rows []erasureRow
	if err := db.WithContext(ctx).Where("id > ?", id).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("erasures: unable to read the list: %w", err)
	}
	return fromRows(rows), nil
}

func fromRows(rows []erasureRow) []Erasure {
	out := make([]Erasure, len(rows))
	for i, r := range rows {
		out[i] = Erasure{ID: r.ID, Kind: r.Kind, Detail: r.Detail, CreatedAt: r.CreatedAt.UTC()}
		if r.MemberID != nil {
			out[i].MemberID = *r.MemberID
		}
		if r.ObjectID != nil {
			out[i].ObjectID = *r.ObjectID
		}
	}
	return out
}

// Write writes entries as JSON lines, the form kept beside backups.
func Write(w io.Writer, list []Erasure) error {
	enc := json.NewEncoder(w)
	for _, e := range list {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("erasures: unable to write: %w", err)
		}
	}
	return nil
}

// Read reads entries written by Write.
func Read(r io.Reader) ([]Erasure, error) {
	var out []Erasure
	dec := json.NewDecoder(r)
	for {
		var e Erasure
		err := dec.Decode(&e)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("erasures: unable to read entry %d: %w", len(out)+1, err)
		}
		if e.ID <= 0 || e.Kind == "" {
			return nil, fmt.Errorf("erasures: entry %d has no id or kind", len(out)+1)
		}
		out = append(out, e)
	}
}

// Applier erases again what one entry describes, inside tx. It must do nothing where there is
// nothing left to erase (the data may predate the backup or be gone already).
type Applier func(ctx context.Context, tx *gorm.DB, e Erasure) error

// Reapply erases again, in db, every entry of list newer than db's own newest entry, each in
// one transaction together with copying the entry into db's list, so that an interrupted run
// can simply be started again. It returns how many entries it applied.
func Reapply(ctx context.Context, db *gorm.DB, list []Erasure, apply map[string]Applier) (int, error) {
	last, err := Last(ctx, db)
	if err != nil {
		return 0, err
	}
	list = slices.SortedFunc(slices.Values(list), func(a, b Erasure) int { return cmp.Compare(a.ID, b.ID) })
	n := 0
	for _, e := range list {
		if e.ID <= last {
			continue
		}
		fn, ok := apply[e.Kind]
		if !ok {
			return n, fmt.Errorf("erasures: entry %d has an unknown kind %q; nothing after it was applied", e.ID, e.Kind)
		}
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := fn(ctx, tx, e); err != nil {
				return err
			}
			row := erasureRow{ID: e.ID, Kind: e.Kind, MemberID: nullable(e.MemberID), ObjectID: nullable(e.ObjectID), Detail: e.Detail, CreatedAt: e.CreatedAt}
			return tx.Create(&row).Error
		})
		if err != nil {
			return n, fmt.Errorf("erasures: unable to apply entry %d (%s): %w", e.ID, e.Kind, err)
		}
		last, n = e.ID, n+1
	}
	if n > 0 && db.Dialector.Name() == "postgres" {
		// Entries were copied with their ids; the identity must carry on after them.
		err := db.WithContext(ctx).Exec(`SELECT setval(pg_get_serial_sequence('erasures', 'id'), (SELECT MAX(id) FROM erasures))`).Error
		if err != nil {
			return n, fmt.Errorf("erasures: unable to move the id sequence: %w", err)
		}
	}
	return n, nil
}
