package database

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// SQLite has one writer at a time. Left to itself, a writer that finds the lock taken sleeps in
// SQLite's busy handler and polls, so under concurrent writes the unlucky ones wait far longer
// than the queue in front of them (8 writers: p99 over 100 ms, where the same writes queued in
// Go take 18 ms). So writes wait their turn here instead, in order, on a gate per database file:
// every transaction (they BEGIN IMMEDIATE, taking the write lock at once) and every statement
// outside one that is not a plain read. Reads outside transactions never wait.

// The wait for the gate is bounded by the busy timeout, as SQLite's own was; the error then
// reads "database is locked", which the web layer answers with a 503.
var errWriteWait = errors.New("database is locked: waited the busy timeout for the writes before this one")

// writeGate is a lock that a waiter can give up on.
type writeGate chan struct{}

func (g writeGate) lock(ctx context.Context) error {
	t := time.NewTimer(busyTimeout)
	defer t.Stop()
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errWriteWait
	}
}

func (g writeGate) unlock() { <-g }

var gates sync.Map // cleaned absolute path of an SQLite file → writeGate

func gateFor(path string) writeGate {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	g, _ := gates.LoadOrStore(filepath.Clean(path), make(writeGate, 1))
	return g.(writeGate)
}

// openSerialised opens an SQLite pool whose writes pass the file's gate.
func openSerialised(drv driver.Driver, path, dsn string) *sql.DB {
	return sql.OpenDB(&serialConnector{drv: drv, dsn: dsn, gate: gateFor(path)})
}

type serialConnector struct {
	drv  driver.Driver
	dsn  string
	gate writeGate
}

func (c *serialConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &serialConn{inner: conn, gate: c.gate, stmts: map[string]*list.Element{}, lru: list.New()}, nil
}

func (c *serialConnector) Driver() driver.Driver { return c.drv }

// The SQLite driver's connection implements these; database/sql uses them rather than the
// older methods whenever they are there.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
}

// serialConn is used by one goroutine at a time (database/sql's promise: it also closes rows
// under the connection's lock), so inTx and the statement cache need no lock of their own.
type serialConn struct {
	inner driver.Conn
	gate  writeGate
	inTx  bool
	stmts map[string]*list.Element // query → *cachedStmt in lru
	lru   *list.List               // most recently used first
}

// Parsing and planning a statement was a third of the CPU of every page: the driver prepared
// each statement again at every use. Each connection now keeps its most recently used
// statements prepared (the driver resets one after each run and unbinds its text, so it holds
// no read transaction open and no member's words). SQLite prepares a kept statement again by
// itself when the schema changes.
const (
	stmtCacheSize     = 160      // per connection; the forum's hot statements number well under this
	stmtCacheMaxQuery = 16 << 10 // longer statements (long IN lists) are rare and one-off: not kept
)

type cachedStmt struct {
	query string
	st    driver.Stmt
	busy  bool // its rows are open: a second use at the same time is prepared apart
}

// cached is the connection's kept statement for query, prepared now if it is not kept yet, or
// nil when it cannot be used (too long, in use by rows still open, or failing to prepare: the
// caller then runs the query the plain way, which reports the error).
func (c *serialConn) cached(ctx context.Context, query string) *cachedStmt {
	if len(query) > stmtCacheMaxQuery {
		return nil
	}
	if e, ok := c.stmts[query]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil
		}
		c.lru.MoveToFront(e)
		return cs
	}
	st, err := c.sqlite().PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	for e := c.lru.Back(); c.lru.Len() >= stmtCacheSize && e != nil; {
		prev := e.Prev()
		if old := e.Value.(*cachedStmt); !old.busy {
			c.lru.Remove(e)
			delete(c.stmts, old.query)
			old.st.Close()
		}
		e = prev
	}
	cs := &cachedStmt{query: query, st: st}
	c.stmts[query] = c.lru.PushFront(cs)
	return cs
}

func (c *serialConn) exec(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if cs := c.cached(ctx, query); cs != nil {
		return cs.st.(driver.StmtExecContext).ExecContext(ctx, args)
	}
	return c.sqlite().ExecContext(ctx, query, args)
}

func (c *serialConn) query(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs := c.cached(ctx, query)
	if cs == nil {
		return c.sqlite().QueryContext(ctx, query, args)
	}
	rows, err := cs.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &keptRows{sqliteRows: rows.(sqliteRows), stmt: cs}, nil
}

// keptRows frees its kept statement for the next use once closed.
type keptRows struct {
	sqliteRows
	stmt *cachedStmt
}

func (r *keptRows) Close() error {
	err := r.sqliteRows.Close()
	r.stmt.busy = false
	return err
}

func (c *serialConn) sqlite() sqliteConn { return c.inner.(sqliteConn) }

// readOnly reports whether a statement only reads: a SELECT, or a WITH that changes nothing.
var writeWord = regexp.MustCompile(`(?i)\b(INSERT|UPDATE|DELETE|REPLACE)\b`)

func readOnly(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:4]) {
	case "SELE":
		return strings.EqualFold(q[:6], "SELECT") && (len(q) == 6 || !isWordByte(q[6]))
	case "WITH":
		return !writeWord.MatchString(q)
	}
	return false
}

func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// enter takes the gate for a statement outside a transaction that may write; leave gives it back.
func (c *serialConn) enter(ctx context.Context, query string) (held bool, err error) {
	if c.inTx || readOnly(query) {
		return false, nil
	}
	if err := c.gate.lock(ctx); err != nil {
		return false, err
	}
	return true, nil
}

func (c *serialConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *serialConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.sqlite().PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &serialStmt{inner: st, conn: c, query: query}, nil
}

func (c *serialConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).st.Close()
	}
	c.stmts, c.lru = nil, nil
	return c.inner.Close()
}

func (c *serialConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *serialConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.gate.lock(ctx); err != nil {
		return nil, err
	}
	tx, err := c.sqlite().BeginTx(ctx, opts)
	if err != nil {
		c.gate.unlock()
		return nil, err
	}
	c.inTx = true
	return &serialTx{inner: tx, conn: c}, nil
}

func (c *serialConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	held, err := c.enter(ctx, query)
	if err != nil {
		return nil, err
	}
	if held {
		defer c.gate.unlock()
	}
	return c.exec(ctx, query, args)
}

func (c *serialConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	held, err := c.enter(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, query, args)
	if !held {
		return rows, err
	}
	if err != nil {
		c.gate.unlock()
		return nil, err
	}
	return &gatedRows{sqliteRows: rows.(sqliteRows), unlock: sync.OnceFunc(c.gate.unlock)}, nil // INSERT … RETURNING writes as its rows are read
}

func (c *serialConn) Ping(ctx context.Context) error { return c.sqlite().Ping(ctx) }

type serialTx struct {
	inner driver.Tx
	conn  *serialConn
}

func (t *serialTx) end(err error) error {
	t.conn.inTx = false
	t.conn.gate.unlock()
	return err
}

func (t *serialTx) Commit() error   { return t.end(t.inner.Commit()) }
func (t *serialTx) Rollback() error { return t.end(t.inner.Rollback()) }

type serialStmt struct {
	inner driver.Stmt
	conn  *serialConn
	query string
}

func (s *serialStmt) Close() error  { return s.inner.Close() }
func (s *serialStmt) NumInput() int { return s.inner.NumInput() }

func (s *serialStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *serialStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *serialStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	held, err := s.conn.enter(ctx, s.query)
	if err != nil {
		return nil, err
	}
	if held {
		defer s.conn.gate.unlock()
	}
	return s.inner.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *serialStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	held, err := s.conn.enter(ctx, s.query)
	if err != nil {
		return nil, err
	}
	rows, err := s.inner.(driver.StmtQueryContext).QueryContext(ctx, args)
	if !held {
		return rows, err
	}
	if err != nil {
		s.conn.gate.unlock()
		return nil, err
	}
	return &gatedRows{sqliteRows: rows.(sqliteRows), unlock: sync.OnceFunc(s.conn.gate.unlock)}, nil
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// sqliteRows is what the SQLite driver's rows implement; all of it is passed on.
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// gatedRows holds the gate until the statement's rows are closed.
type gatedRows struct {
	sqliteRows
	unlock func()
}

func (r *gatedRows) Close() error {
	err := r.sqliteRows.Close()
	r.unlock()
	return err
}
