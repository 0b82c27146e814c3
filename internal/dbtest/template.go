package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/migrations"
)

// Migrating a fresh database costs more than most tests, so each test gets a copy of one
// database migrated once: a file for SQLite, a template database for PostgreSQL. Both are
// named after a hash of the migrations, so a changed migration gets a new template and several
// test processes (go test runs packages side by side) share one.

// templateFormat changes the templates' names when the way they are built changes.
const templateFormat = "2"

// schemaHash identifies the migrations for dialect.
func schemaHash(dialect string) (string, error) {
	list, err := migrations.For(dialect)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", templateFormat, dialect)
	for _, m := range list {
		fmt.Fprintf(h, "%d %s %d\n%s\n", m.Version, m.Name, len(m.SQL), m.SQL)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	hash, err := schemaHash("sqlite")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(os.TempDir(), "haven-dbtest-"+hash+".db")
	if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
		return b, nil
	}
	// Built under a name of its own and renamed into place, so no process reads half a file.
	dir, err := os.MkdirTemp("", "haven-dbtest-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	build := filepath.Join(dir, "template.db")
	ctx := context.Background()
	db, err := database.Open(ctx, build)
	if err != nil {
		return nil, err
	}
	if err := database.Migrate(ctx, db); err != nil {
		database.Close(db)
		return nil, err
	}
	if err := database.Close(db); err != nil { // folds the WAL into the file and empties it
		return nil, err
	}
	b, err := os.ReadFile(build)
	if err != nil {
		return nil, err
	}
	if err := os.Rename(build, path); err != nil {
		return nil, err
	}
	return b, nil
})

// sqliteCopy writes a migrated database to path.
func sqliteCopy(path string) error {
	b, err := sqliteTemplate()
	if err != nil {
		return fmt.Errorf("dbtest: SQLite template: %w", err)
	}
	return os.WriteFile(path, b, 0o600)
}

// pgAdmin is one small pool per test process on the server's maintenance database.
var pgAdmin = sync.OnceValues(func() (*sql.DB, error) {
	db, err := sql.Open("pgx", os.Getenv("HAVEN_TEST_POSTGRES_URL"))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(2)
	db.SetConnMaxIdleTime(30 * time.Second)
	return db, nil
})

// pgTemplate returns the name of the migrated template database, building it if no process has.
var pgTemplate = sync.OnceValues(func() (string, error) {
	hash, err := schemaHash("postgres")
	if err != nil {
		return "", err
	}
	name := "haven_template_" + hash
	admin, err := pgAdmin()
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	// A session-level advisory lock needs one connection throughout.
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	const lockKey = 7_201_312_026 // any constant: only these builders take it
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, lockKey)
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		return "", err
	}
	if n == 1 {
		return name, nil
	}
	// Built under another name and renamed when complete, so a build cut short is never used.
	build := name + "_build"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+build+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+build); err != nil {
		return "", err
	}
	db, err := database.Open(ctx, pgURL(build))
	if err != nil {
		return "", err
	}
	if err := database.Migrate(ctx, db); err != nil {
		database.Close(db)
		return "", err
	}
	if err := database.Close(db); err != nil { // a template may have no connections
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+build+` RENAME TO `+name); err != nil {
		return "", err
	}
	return name, nil
})

// pgURL is HAVEN_TEST_POSTGRES_URL pointed at database name.
func pgURL(name string) string {
	u, err := url.Parse(os.Getenv("HAVEN_TEST_POSTGRES_URL"))
	if err != nil {
		panic("dbtest: HAVEN_TEST_POSTGRES_URL: " + err.Error())
	}
	u.Path = "/" + name
	return u.String()
}

// pgCreate creates database name, empty or as a copy of the migrated template.
func pgCreate(ctx context.Context, name string, migrated bool) error {
	admin, err := pgAdmin()
	if err != nil {
		return err
	}
	q := `CREATE DATABASE ` + name
	if migrated {
		tmpl, err := pgTemplate()
		if err != nil {
			return fmt.Errorf("template: %w", err)
		}
		q += ` TEMPLATE ` + tmpl
	}
	for attempt := 0; ; attempt++ {
		_, err = admin.ExecContext(ctx, q)
		// Copies serialise on the template; one still starting up on another backend is retried.
		if err == nil || attempt == 20 || !strings.Contains(err.Error(), "is being accessed by other users") {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
