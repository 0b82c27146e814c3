package forum

import (
	"context"
	"fmt"
	"strings"

	"github.com/haven-forum/haven/internal/markdown"
	"gorm.io/gorm"
)

// Markers that replace a quote, in the quoting post, of text that is gone from the quoted one.
const (
	QuoteRemovedByAuthor    = "> *Quoted post removed by its author.*"
	QuoteRemovedByModerator = "> *Quoted post removed by a moderator.*"
	QuoteChangedByAuthor    = "> *Quoted text changed by its author.*"
)

// unquote replaces, in every post that quotes postID (and in those posts' earlier versions and
// search entries), each quote of text that was in old but is not in now with marker: a quote
// must not keep what its author erased or edited away. Call it inside the erasing transaction,
// with the quoted post's text before (old) and after (now: "" when erased) the change.
func (s *Service) unquote(ctx context.Context, tx *gorm.DB, postID int64, old, now, marker string) error {
	db := tx.WithContext(ctx)
	var quoting []struct {
		ID   int64
		Body string
	}
	if err := db.Raw(`SELECT id, body FROM posts WHERE quote_of = ? AND id <> ?`, postID, postID).Scan(&quoting).Error; err != nil {
		return fmt.Errorf("forum: unable to find quotes: %w", err)
	}
	for _, q := range quoting {
		if body, changed := replaceQuotes(q.Body, old, now, marker); changed {
			err := db.Exec(`UPDATE posts SET body = ?, body_html = ?, body_html_version = ? WHERE id = ?`,
				body, markdown.Render(body), markdown.Version, q.ID).Error
			if err != nil {
				return fmt.Errorf("forum: unable to replace a quote: %w", err)
			}
			if err := indexPost(ctx, tx, q.ID); err != nil {
				return err
			}
			if err := refreshPostTopics(ctx, tx, q.ID); err != nil {
				return err
			}
		}
		var revs []struct {
			ID   int64
			Body string
		}
		if err := db.Raw(`SELECT id, body FROM post_revisions WHERE post_id = ?`, q.ID).Scan(&revs).Error; err != nil {
			return fmt.Errorf("forum: unable to read revisions: %w", err)
		}
		for _, r := range revs {
			if body, changed := replaceQuotes(r.Body, old, now, marker); changed {
				if err := db.Exec(`UPDATE post_revisions SET body = ? WHERE id = ?`, body, r.ID).Error; err != nil {
					return fmt.Errorf("forum: unable to replace a quote: %w", err)
				}
			}
		}
	}
	return nil
}

// replaceQuotes replaces each block of "> " lines in body that quotes old with marker, unless
// every line of it is still in now.
func replaceQuotes(body, old, now, marker string) (string, bool) {
	lines := strings.Split(body, "\n")
	var out []string
	changed := false
	for i := 0; i < len(lines); {
		if !isQuoteLine(lines[i]) {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i
		for j < len(lines) && isQuoteLine(lines[j]) {
			j++
		}
		block := lines[i:j]
		fromOld, _ := found(block, old)
		inNow, total := found(block, now)
		if fromOld > 0 && inNow < total {
			out = append(out, marker)
			changed = true
		} else {
			out = append(out, block...)
		}
		i = j
	}
	return strings.Join(out, "\n"), changed
}

func isQuoteLine(l string) bool { return strings.HasPrefix(strings.TrimLeft(l, " "), ">") }

// found counts the text lines of a quote block that come from text, and all its text lines. A
// line comes from text when it equals one of text's lines or, long enough not to match by
// chance, appears inside it.
func found(block []string, text string) (n, total int) {
	flat := strings.Join(strings.Fields(text), " ")
	lines := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, l := range block {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "> "))
		if l == "" {
			continue
		}
		total++
		if flat != "" && (lines[l] || (len(l) >= 12 && strings.Contains(flat, strings.Join(strings.Fields(l), " ")))) {
			n++
		}
	}
	return n, total
}
