// Package database opens Haven's database (embedded SQLite or PostgreSQL) and applies the
// versioned migrations. Domain packages own their tables; this package owns only the connection.
package database

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/haven-forum/haven/migrations"
	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// IsPostgres reports whether url selects PostgreSQL rather than an SQLite file.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// sqlitePragmas (with synchronous=FULL, set in sqliteDSN) make an acknowledged write durable, make erased bytes
// unrecoverable from the file (secure_delete), and keep writers from failing under contention.
// Reads go through a memory map of the file (mmap_size, a ceiling, shared by every connection
// through the OS page cache): a page read is then a memory access, not a read(2) into each
// connection's own small cache (+40% group pages at 100k posts; writes still go through the WAL).
var sqlitePragmas = []string{
	"journal_mode(WAL)",
	"foreign_keys(1)",
	fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()),
	"secure_delete(1)",
	"mmap_size(268435456)",
}

// busyTimeout is how long an SQLite statement waits for a lock before failing.
const busyTimeout = 10 * time.Second

// Option changes how Open connects.
type Option func(*options)

type options struct{ synchronous string }

// SynchronousNormal makes SQLite commits skip the disk flush, for test databases only: a commit
// still survives the process crashing, but not the machine losing power.
func SynchronousNormal() Option { return func(o *options) { o.synchronous = "NORMAL" } }

// Open connects to url: a postgres:// URL, or a path to an SQLite file.
// It does not migrate; call Migrate.
func Open(ctx context.Context, url string, opts ...Option) (*gorm.DB, error) {
	o := options{synchronous: "FULL"}
	for _, opt := range opts {
		opt(&o)
	}
	cfg := &gorm.Config{
		Logger:                 logger.Discard, // SQL carries member data; it is never logged
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	}
	var dial gorm.Dialector
	if IsPostgres(url) {
		dial = postgres.Open(url)
	} else {
		probe, err := sql.Open(sqlite.DriverName, "")
		if err != nil {
			return nil, fmt.Errorf("database: %w", err)
		}
		dial = &sqlite.Dialector{Conn: openSerialised(probe.Driver(), url, sqliteDSN(url, o))}
		probe.Close()
	}
	db, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: unable to open: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if IsPostgres(url) {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		// One writer at a time is SQLite's nature; a small pool of readers serves pages in WAL mode.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("database: unable to connect: %w", err)
	}
	if !IsPostgres(url) {
		if err := checkSQLiteVersion(pingCtx, sqlDB); err != nil {
			sqlDB.Close()
			return nil, err
		}
	}
	return db, nil
}

// minSQLite is the oldest SQLite Haven runs on: FTS5's secure-delete option, without which
// erased words survive in the search index's pages, came in 3.44.0.
var minSQLite = [3]int{3, 44, 0}

// checkSQLiteVersion refuses an SQLite library too old to erase from the search index.
func checkSQLiteVersion(ctx context.Context, sqlDB *sql.DB) error {
	var v string
	if err := sqlDB.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v); err != nil {
		return fmt.Errorf("database: unable to read the SQLite version: %w", err)
	}
	if !versionAtLeast(v, minSQLite) {
		return fmt.Errorf("database: SQLite %s is too old: Haven needs %d.%d.%d or newer (FTS5 secure-delete, so erased words leave the search index); build with the modernc.org/sqlite version go.mod pins", v, minSQLite[0], minSQLite[1], minSQLite[2])
	}
	return nil
}

// versionAtLeast compares a dotted version like "3.46.1" with min.
func versionAtLeast(v string, min [3]int) bool {
	parts := strings.SplitN(v, ".", 3)
	for i := range min {
		n := 0
		if i < len(parts) {
			n, _ = strconv.Atoi(parts[i])
		}
		if n != min[i] {
			return n > min[i]
		}
	}
	return true
}

func sqliteDSN(path string, o options) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	q.Add("_pragma", "synchronous("+o.synchronous+")")
	q.Set("_txlock", "immediate")   // take the write lock at BEGIN, so transactions never deadlock upgrading
	q.Set("_time_format", "sqlite") // "2006-01-02 15:04:05.999999999-07:00", the text every existing database holds
	return "file:" + path + "?" + q.Encode()
}

// Dialect names the database behind db: "sqlite" or "postgres".
func Dialect(db *gorm.DB) string { return db.Dialector.Name() }

// Migrate applies every migration not yet applied, each in its own transaction. Several
// instances starting at once on PostgreSQL serialise on a lock, so each version runs once.
// It refuses to go on when a migration applied earlier no longer matches its file: the schema
// would then not be what the files (and the code) say.
func Migrate(ctx context.Context, db *gorm.DB) error {
	list, err := migrations.For(Dialect(db))
	if err != nil {
		return err
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`
	if err := db.WithContext(ctx).Exec(create).Error; err != nil {
		return fmt.Errorf("database: unable to create schema_migrations: %w", err)
	}
	if err := verifyChecksums(ctx, db, list); err != nil {
		return err
	}
	for _, m := range list {
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if Dialect(db) == "postgres" {
				if err := tx.Exec(`LOCK TABLE schema_migrations IN EXCLUSIVE MODE`).Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := tx.Exec(m.SQL).Error; err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)).Error
		})
		if err != nil {
			return fmt.Errorf("database: migration %04d_%s failed: %w", m.Version, m.Name, err)
		}
	}
	// Versions applied before the checksum column existed, or just now, get theirs.
	for _, m := range list {
		err := db.WithContext(ctx).Exec(`UPDATE schema_migrations SET checksum = ? WHERE version = ? AND checksum IS NULL`,
			Checksum(m), m.Version).Error
		if err != nil {
			return fmt.Errorf("database: unable to record the checksum of migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// Checksum is the SHA-256, in hex, of a migration's SQL as run on its database.
func Checksum(m migrations.Migration) string {
	sum := sha256.Sum256([]byte(m.SQL))
	return hex.EncodeToString(sum[:])
}

// verifyChecksums compares each applied migration's recorded checksum (once there is the
// column) with its file's, and names the first that differs.
func verifyChecksums(ctx context.Context, db *gorm.DB, list []migrations.Migration) error {
	var has int64
	q := `SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'`
	if Dialect(db) == "postgres" {
		q = `SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum'`
	}
	if err := db.WithContext(ctx).Raw(q).Scan(&has).Error; err != nil {
		return fmt.Errorf("database: unable to read schema_migrations: %w", err)
	}
	if has == 0 {
		return nil
	}
	var applied []struct {
		Version  int
		Name     string
		Checksum *string
	}
	if err := db.WithContext(ctx).Raw(`SELECT version, name, checksum FROM schema_migrations ORDER BY version`).Scan(&applied).Error; err != nil {
		return fmt.Errorf("database: unable to read schema_migrations: %w", err)
	}
	files := make(map[int]migrations.Migration, len(list))
	for _, m := range list {
		files[m.Version] = m
	}
	for _, a := range applied {
		m, ok := files[a.Version] // a version newer than this build is the newer build's to check
		if ok && a.Checksum != nil && *a.Checksum != Checksum(m) {
			return fmt.Errorf("database: migration %04d_%s changed after it was applied (checksum %.12s… recorded, the file's is %.12s…); migrations are append-only: restore the file and put the change in a new migration", a.Version, a.Name, *a.Checksum, Checksum(m))
		}
	}
	return nil
}

// Version returns the highest applied migration.
func Version(ctx context.Context, db *gorm.DB) (int, error) {
	var v int
	err := db.WithContext(ctx).Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v).Error
	return v, err
}

// Close closes the pool. On SQLite it first folds the WAL into the main file and truncates it,
// so no erased page lingers in the log after shutdown.
func Close(db *gorm.DB) error {
	if Dialect(db) == "sqlite" {
		db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping reports whether the database answers within ctx.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// IsUnavailable reports whether err means the database could not be reached or has gone away,
// as opposed to a query that was wrong: such errors become a 503, not a 500.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var netErr net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn),
		errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr):
		return true
	}
	msg := err.Error()
	for _, s := range []string{"database is closed", "connection refused", "database is locked",
		"failed to connect", "the database system is shutting down", "conn closed", "broken pipe"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
