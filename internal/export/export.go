// Package export writes everything Haven holds about a member as one JSON document: the
// member's copy of their data. It only orchestrates: each domain reads its own tables, one row
// at a time, and each row is encoded as it arrives, so an export of any size streams in flat
// memory. The domains do not import this package.
package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/privacy"
)

// SchemaVersion goes up whenever a key changes meaning or goes away.
const SchemaVersion = 1

// Sources are the domains an export reads.
type Sources struct {
	Accounts   *accounts.Service
	Forum      *forum.Forum
	Inbox      *forum.Inbox
	Privacy    *privacy.Service
	Moderation *moderation.Records
	Erasures   *erasures.Reader
}

// Filename is the name the download is saved under.
func Filename(username string, now time.Time) string {
	return fmt.Sprintf("haven-export-%s-%s.json", username, now.UTC().Format("2006-01-02"))
}

// Write writes the export of memberID to w. Only the member themself may take it: ctx must
// carry them as the viewer.
func Write(ctx context.Context, w io.Writer, memberID int64, src Sources) error {
	if v, ok := accounts.ViewerFrom(ctx); !ok || v.ID != memberID {
		return apperr.New(apperr.EFORBIDDEN, "Only you can download your data.")
	}
	held, err := Gather(ctx, memberID, src)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	doc := newObject(bw)
	sections := []struct {
		key   string
		write func(context.Context, *object, int64, Sources) error
	}{
		{"schema_version", writeSchemaVersion},
		{"member", writeMember},
		{"consents", writeConsents},
		{"activity", writeActivity},
		{"read_positions", writeReadPositions},
		{"inferences", writeInferences},
		{"posts", writePosts},
		{"reactions", writeReactions},
		{"profile", held.writeProfile},
		{"bookmarks", held.writeBookmarks},
		{"memberships", writeMemberships},
		{"notifications", writeNotifications},
		{"followed_topics", writeFollows},
		{"moderation", writeModeration},
		{"sign_in", held.writeSignIn},
		{"moderation_about_you", held.writeModerationAbout},
		{"reports_you_filed", held.writeReports},
		{"appeals", held.writeAppeals},
		{"as_moderator", held.writeAsModerator},
		{"erasure_list", held.writeErasures},
		{"reading_history_erased_before", held.writeErasedBefore},
	}
	doc.open("{")
	for _, s := range sections {
		doc.key(s.key)
		if err := s.write(ctx, doc, memberID, src); err != nil {
			return err
		}
	}
	doc.raw("\n")
	doc.close("}")
	if doc.err != nil {
		return fmt.Errorf("export: unable to write: %w", doc.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: unable to write: %w", err)
	}
	return nil
}

// object writes JSON objects and arrays by hand around values that encoding/json encodes one
// at a time, each array item on a line of its own. The first write error sticks, and every
// later write is skipped.
type object struct {
	w     *bufio.Writer
	buf   bytes.Buffer // one encoded value; reused, so it grows only to the largest item
	enc   *json.Encoder
	err   error
	count []int // items written so far in each open object or array
}

func newObject(w *bufio.Writer) *object {
	o := &object{w: w}
	o.enc = json.NewEncoder(&o.buf)
	o.enc.SetEscapeHTML(false) // a download, never parsed as HTML
	return o
}

func (o *object) raw(s string) {
	if o.err == nil {
		_, o.err = o.w.WriteString(s)
	}
}

func (o *object) open(bracket string) { o.raw(bracket); o.count = append(o.count, 0) }

func (o *object) close(bracket string) { o.raw(bracket); o.count = o.count[:len(o.count)-1] }

// next writes what goes before an item: a comma after the first, and a line break in an array
// or at the top level.
func (o *object) next(newline bool) {
	if o.count[len(o.count)-1] > 0 {
		o.raw(",")
	}
	if newline {
		o.raw("\n")
	}
	o.count[len(o.count)-1]++
}

// key starts a member of the open object; keys are this package's constants.
func (o *object) key(k string) {
	o.next(len(o.count) == 1)
	o.raw(`"` + k + `":`)
}

// value writes one value, and returns the sticky error so a client gone away stops the reading.
func (o *object) value(v any) error {
	if o.err != nil {
		return o.err
	}
	o.buf.Reset()
	if o.err = o.enc.Encode(v); o.err == nil {
		_, o.err = o.w.Write(bytes.TrimSuffix(o.buf.Bytes(), []byte("\n")))
	}
	return o.err
}

// item writes one element of the open array.
func (o *object) item(v any) error {
	o.next(true)
	return o.value(v)
}

// array writes an array whose elements each calls item for.
func (o *object) array(each func() error) error {
	o.open("[")
	if err := each(); err != nil {
		return err
	}
	o.close("]")
	return o.err
}

func at(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func atOrNil(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := at(*t)
	return &s
}
