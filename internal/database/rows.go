package database

import "gorm.io/gorm"

// Rows runs a query and scans each row into a T by hand, through the addresses fields gives:
// for the hot queries (suggestions) where gorm's reflection costs as much as the query itself.
func Rows[T any](q *gorm.DB, fields func(*T) []any) ([]T, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(fields(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
