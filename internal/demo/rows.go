package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/haven-forum/haven/internal/database"
	"gorm.io/gorm"
)

// maxParams bounds the values bound to one INSERT. Far below both databases' limits, because
// the pure-Go SQLite driver matches each parameter to its argument by a linear scan, so a
// statement costs the square of its parameters: at 30,000 that was three quarters of the time.
const maxParams = 999

// rowBuffer collects rows for one table and writes them as multi-row INSERTs.
type rowBuffer struct {
	table string
	cols  []string
	args  []any
}

func newRowBuffer(table string, cols ...string) *rowBuffer {
	return &rowBuffer{table: table, cols: cols}
}

func (b *rowBuffer) add(vals ...any) { b.args = append(b.args, vals...) }

func (b *rowBuffer) len() int { return len(b.args) / len(b.cols) }

// flush writes the collected rows in tx and empties the buffer.
func (b *rowBuffer) flush(ctx context.Context, tx *gorm.DB) error {
	per := maxParams / len(b.cols) * len(b.cols)
	for start := 0; start < len(b.args); start += per {
		chunk := b.args[start:min(start+per, len(b.args))]
		if err := tx.WithContext(ctx).Exec(b.insertSQL(len(chunk)/len(b.cols)), chunk...).Error; err != nil {
			return fmt.Errorf("demo: unable to insert into %s: %w", b.table, err)
		}
	}
	clear(b.args) // let the strings go
	b.args = b.args[:0]
	return nil
}

func (b *rowBuffer) insertSQL(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(b.cols)), ", ") + ")"
	var sb strings.Builder
	sb.Grow(len(b.table) + 40 + rows*(len(one)+2))
	sb.WriteString("INSERT INTO " + b.table + " (" + strings.Join(b.cols, ", ") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(one)
	}
	return sb.String()
}

// reserveIDs returns the first of n consecutive ids for new rows of table, past every id the
// table ever handed out (an id is never reused, as migrations' {{ID}} promises). Rows are then
// inserted with explicit ids, so a batch needs no RETURNING to link topics to posts. On
// PostgreSQL the identity sequence is moved past the block at once; SQLite's AUTOINCREMENT
// counter follows explicit ids by itself. It assumes nothing else inserts into table meanwhile.
func reserveIDs(ctx context.Context, db *gorm.DB, table string, n int) (int64, error) {
	var last int64
	var err error
	if database.Dialect(db) == "postgres" {
		err = db.WithContext(ctx).Raw(`SELECT setval(pg_get_serial_sequence(?, 'id'), nextval(pg_get_serial_sequence(?, 'id')) + ? - 1)`,
			table, table, n).Scan(&last).Error
		return last - int64(n) + 1, wrapReserve(table, err)
	}
	err = db.WithContext(ctx).Raw(`SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), COALESCE((SELECT MAX(id) FROM `+table+`), 0))`,
		table).Scan(&last).Error
	return last + 1, wrapReserve(table, err)
}

func wrapReserve(table string, err error) error {
	if err != nil {
		return fmt.Errorf("demo: unable to reserve ids in %s: %w", table, err)
	}
	return nil
}
