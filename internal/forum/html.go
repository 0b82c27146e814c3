package forum

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/haven-forum/haven/internal/markdown"
	"gorm.io/gorm"
)

// rendered is src as HTML: html when the current renderer made it, else rendered now
// (RenderStale stores it; a page view never writes).
func rendered(src, html string, version int) string {
	if version == markdown.Version && (html != "" || src == "") {
		return html
	}
	return markdown.Render(src)
}

func (p postRow) html() string { return rendered(p.Body, p.BodyHTML, p.BodyHTMLVersion) }

// staleBatch bounds the rows read and rendered at once by RenderStale.
const staleBatch = 200

// RenderStale stores the HTML of every post body and group's rules whose stored HTML an older
// renderer made (or none did: rows from before the columns, or a body an erasure path rewrote),
// and returns how many it stored. A text that changes meanwhile is left for that write to render.
func (s *Service) RenderStale(ctx context.Context) (int, error) {
	posts, err := s.renderStale(ctx, "posts", "body")
	if err != nil {
		return posts, err
	}
	groups, err := s.renderStale(ctx, "groups", "rules")
	return posts + groups, err
}

// renderStale renders table's column into column_html where column_html_version is old. Each
// batch is rendered on every core, then stored in one transaction: one commit (one fsync on
// SQLite) per batch rather than per row, so re-rendering a million posts after a renderer
// upgrade takes minutes, not an hour of the write lock.
func (s *Service) renderStale(ctx context.Context, table, column string) (int, error) {
	var last int64
	n := 0
	for {
		var rows []struct {
			ID  int64
			Src string
		}
		err := s.db.WithContext(ctx).Raw(`SELECT id, `+column+` AS src FROM `+table+`
			WHERE `+column+`_html_version < ? AND `+column+` <> '' AND id > ? ORDER BY id LIMIT ?`,
			markdown.Version, last, staleBatch).Scan(&rows).Error
		if err != nil {
			return n, fmt.Errorf("forum: unable to read %s to render: %w", table, err)
		}
		if len(rows) == 0 {
			return n, nil
		}
		html := make([]string, len(rows))
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(rows); i += workers {
					html[i] = markdown.Render(rows[i].Src)
				}
			})
		}
		wg.Wait()
		err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for i, r := range rows {
				res := tx.Exec(`UPDATE `+table+` SET `+column+`_html = ?, `+column+`_html_version = ?
					WHERE id = ? AND `+column+` = ?`, html[i], markdown.Version, r.ID, r.Src)
				if res.Error != nil {
					return res.Error
				}
				n += int(res.RowsAffected)
			}
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("forum: unable to store HTML in %s: %w", table, err)
		}
		last = rows[len(rows)-1].ID
		if len(rows) < staleBatch {
			return n, nil
		}
	}
}
