package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/config"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

const pgDumpHint = `on PostgreSQL, back up with pg_dump --format=custom --file FILE "$HAVEN_DATABASE_URL" ` +
	`and keep "haven erasures export" beside it (see docs/deployment.md)`

// backup writes an online, consistent copy of the SQLite database. The copy carries the
// erasure list as it was, whose newest entry marks the moment the backup was taken.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var to string
	_, db, err := setup(ctx, "haven backup", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "file to write the backup to (must not exist)")
	})
	if err != nil {
		return err
	}
	defer database.Close(db)
	if database.Dialect(db) == "postgres" {
		return &config.Error{Setting: "--db", Problem: "haven backup copies SQLite only; " + pgDumpHint}
	}
	if to == "" {
		return &config.Error{Setting: "--to", Problem: "name the file to write the backup to"}
	}
	if err := database.BackupTo(ctx, db, to); err != nil {
		return &config.Error{Setting: "--to", Problem: firstLine(err)}
	}
	if err := syncPath(to); err != nil {
		return err
	}
	last, err := erasures.Last(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up to %s (erasure list up to entry %d).\n", to, last)
	return nil
}

// erasuresExport writes the whole erasure list as JSON lines: kept beside backups, it lets a
// restore re-apply erasures even when the live database is lost.
func erasuresExport(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var to string
	_, db, err := setup(ctx, "haven erasures export", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "file to write the list to (default: standard output)")
	})
	if err != nil {
		return err
	}
	defer database.Close(db)
	list, err := erasures.After(ctx, db, 0)
	if err != nil {
		return err
	}
	if to == "" {
		return erasures.Write(stdout, list)
	}
	f, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return &config.Error{Setting: "--to", Problem: firstLine(err)}
	}
	if err := erasures.Write(f, list); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// restore replaces the SQLite database with a backup, with every erasure made since the backup
// was taken erased again, and expired records purged, before anything can read it. With only
// --erasures it re-applies a list to the database as it is (PostgreSQL after pg_restore).
func restore(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var from, listFile string
	cfg, db, err := setup(ctx, "haven restore", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "SQLite backup to restore (made by haven backup)")
		fs.StringVar(&listFile, "erasures", "", `erasure list to re-apply as well (from "haven erasures export")`)
	})
	if err != nil {
		return err
	}
	list, err := erasures.After(ctx, db, 0)
	if err == nil && listFile != "" {
		list, err = withListFile(list, listFile)
	}
	if err != nil {
		database.Close(db)
		return err
	}
	if database.Dialect(db) == "postgres" {
		defer database.Close(db)
		if from != "" {
			return &config.Error{Setting: "--from", Problem: "restore a PostgreSQL dump with pg_restore, then run " +
				"haven restore --erasures LIST to re-apply the erasures made since (see docs/deployment.md)"}
		}
		return reerase(ctx, db, list, stdout)
	}
	if from == "" {
		database.Close(db)
		if listFile == "" {
			return &config.Error{Setting: "--from", Problem: "name the backup to restore"}
		}
		return reerase(ctx, db, list, stdout) // an SQLite file restored some other way
	}
	if err := database.Close(db); err != nil {
		return err
	}
	return restoreSQLite(ctx, cfg.DatabaseURL, from, list, stdout)
}

// withListFile adds the entries of an exported list that the live list lacks.
func withListFile(list []erasures.Erasure, path string) ([]erasures.Erasure, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &config.Error{Setting: "--erasures", Problem: firstLine(err)}
	}
	defer f.Close()
	more, err := erasures.Read(f)
	if err != nil {
		return nil, &config.Error{Setting: "--erasures", Problem: err.Error()}
	}
	seen := map[int64]bool{}
	for _, e := range list {
		seen[e.ID] = true
	}
	for _, e := range more {
		if !seen[e.ID] {
			list = append(list, e)
		}
	}
	return list, nil
}

func restoreSQLite(ctx context.Context, live, from string, list []erasures.Erasure, stdout io.Writer) error {
	release, err := database.LockExclusive(ctx, live)
	if errors.Is(err, database.ErrInUse) {
		return &config.Error{Setting: "--db", Problem: live + " is in use: stop every Haven using it, then restore"}
	}
	if err != nil {
		return err
	}
	defer release()
	// The backup is prepared under a new name beside the live file and renamed over it only
	// when whole: an interrupted restore leaves the live database as it was.
	tmp := filepath.Join(filepath.Dir(live), "."+filepath.Base(live)+".restoring")
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(tmp + suffix)
	}
	if err := copyFile(from, tmp); err != nil {
		return &config.Error{Setting: "--from", Problem: firstLine(err)}
	}
	db, err := database.Open(ctx, tmp)
	if err == nil {
		err = database.Migrate(ctx, db) // a backup from an older version
		if err == nil {
			err = reerase(ctx, db, list, stdout)
		}
		if cerr := database.Close(db); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %s (the live database was not touched): %w", from, err)
	}
	if err := os.Rename(tmp, live); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	release()
	for _, suffix := range []string{"-wal", "-shm"} { // the old file's log must never meet the new file
		os.Remove(live + suffix)
	}
	if err := syncPath(filepath.Dir(live)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s from %s.\n", live, from)
	return nil
}

// reerase applies the entries of list newer than db's own list, then purges what is past its
// retention, and reports what it did.
func reerase(ctx context.Context, db *gorm.DB, list []erasures.Erasure, stdout io.Writer) error {
	since, err := erasures.Last(ctx, db)
	if err != nil {
		return err
	}
	n, err := erasures.Reapply(ctx, db, list, reappliers(db))
	if err != nil {
		return err
	}
	purged, err := privacy.NewService(db, privacy.ControllerInfo{}).PurgeExpired(ctx)
	if err != nil {
		return err
	}
	if err := database.Checkpoint(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The database held the erasure list up to entry %d; re-applied %d erasures made since, "+
		"and purged %d expired activity events.\n", since, n, purged)
	if len(list) == 0 {
		fmt.Fprintln(stdout, `The erasure list was empty. If the live database was lost, pass --erasures with the latest "haven erasures export".`)
	}
	return nil
}

// reappliers erase again each kind on the list, through the domain that owns the data.
func reappliers(db *gorm.DB) map[string]erasures.Applier {
	settings := site.NewSettings(db)
	posts := forum.New(db, settings, forum.NewInbox(db)).Posts
	priv := privacy.NewService(db, privacy.ControllerInfo{})
	account := func(withPosts bool) erasures.Applier {
		return func(ctx context.Context, tx *gorm.DB, e erasures.Erasure) error {
			err := accounts.Remove(ctx, tx, e.MemberID, posts.EraseMember(withPosts), priv.EraseMember)
			if apperr.Code(err) == apperr.ENOTFOUND {
				return nil // an account made after the backup is not in it
			}
			return err
		}
	}
	return map[string]erasures.Applier{
		erasures.MemberRecord:     privacy.Reerase,
		erasures.ActivityItem:     privacy.Reerase,
		erasures.Interest:         privacy.Reerase,
		erasures.Retention:        privacy.Reerase,
		erasures.NotInterested:    privacy.Reerase,
		erasures.ReadPosition:     privacy.Reerase,
		erasures.ConsentWithdrawn: privacy.Reerase,
		erasures.Account:          account(false),
		erasures.AccountWithPosts: account(true),
		erasures.Post:             posts.Reerase,
		erasures.PostRemoved:      posts.Reerase,
		// A member's own changes since the backup, re-applied so that none is rolled back.
		erasures.PostEdited:           posts.Rechange,
		erasures.ReactionRemoved:      posts.Rechange,
		erasures.MuteAdded:            posts.Rechange,
		erasures.MuteRemoved:          posts.Rechange,
		erasures.GroupLeft:            posts.Rechange,
		erasures.NotificationsCleared: posts.Rechange,
		erasures.NotificationSettings: posts.Rechange,
		erasures.HiddenWarnings:       posts.Rechange,
		erasures.BookmarkRemoved:      posts.Rechange,
		erasures.ProfileChanged:       posts.Rechange,
		erasures.FollowRemoved:        posts.Rechange,
		erasures.FollowSettings:       posts.Rechange,
		erasures.SessionEnded:         accounts.Rechange,
		erasures.SessionsEnded:        accounts.Rechange,
		erasures.PasswordChanged:      accounts.Rechange,
		erasures.RecoveryCodeUsed:     accounts.Rechange,
		erasures.RecoveryCodesNew:     accounts.Rechange,
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncPath makes a written file, or a renaming in a directory, durable before we report it.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
