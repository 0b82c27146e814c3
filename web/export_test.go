package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

var exportKeys = []string{"schema_version", "member", "consents", "activity", "read_positions", "inferences", "posts", "reactions", "profile", "bookmarks",
	"memberships", "notifications", "followed_topics", "moderation", "sign_in", "moderation_about_you", "reports_you_filed", "appeals",
	"as_moderator", "erasure_list", "reading_history_erased_before"}

// exportDoc is an export as the member downloads it.
type exportDoc struct {
	page
	keys []string                   // top-level keys, in order
	doc  map[string]json.RawMessage // by key
}

func (c *client) export() exportDoc {
	c.t.Helper()
	p := c.get("/privacy/export")
	if p.status != http.StatusOK {
		c.t.Fatalf("export: status %d\n%s", p.status, p.body)
	}
	d := exportDoc{page: p}
	if err := json.Unmarshal([]byte(p.body), &d.doc); err != nil {
		c.t.Fatalf("export is not one JSON object: %v\n%s", err, p.body)
	}
	dec := json.NewDecoder(strings.NewReader(p.body))
	dec.Token() // {
	for dec.More() {
		k, _ := dec.Token()
		d.keys = append(d.keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	return d
}

// items decodes one section that is an array.
func (d exportDoc) items(t *testing.T, key string) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal(d.doc[key], &out); err != nil {
		t.Fatalf("%s is not an array of objects: %v", key, err)
	}
	return out
}

func count(t *testing.T, db *gorm.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExportHoldsEverythingAndOnlyTheMembersOwn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("exp_admin")
		admin.createGroup("Grief", "grief", "public", true)
		admin.createGroup("Quiet", "quiet", "private", false)
		writer, other, hidden := a.member("exp_writer"), a.member("exp_other"), a.member("exp_hidden")
		for _, c := range []*client{writer, other, hidden} {
			c.join("grief")
		}
		writer.post("/g/quiet/request", "message", "May I join?")
		writer.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		writer.post("/privacy/consent", "purpose", "community_signals", "enabled", "true")
		writer.post("/privacy/consent", "purpose", "community_signals", "enabled", "false")
		writer.post("/notifications/settings", "reply", "on", "mention", "on", "join_answered", "on") // quotes off
		writer.post("/account/mutes", "action", "mute", "username", "exp_admin")

		mine := writer.newTopic("grief", "Exportable title", "My own words about winter.", "content_warning", "loss")
		edited := writer.reply(mine, "First draft of a reply.")
		writer.post(fmt.Sprintf("/p/%d/edit", edited), "body", "Second draft of a reply.")
		theirs := other.newTopic("grief", "Other topic", "Other's words.")
		anon := writer.reply(theirs, "An anonymous thought of mine.", "anonymous", "1")
		other.reply(mine, "Openly replying to the writer.")
		hidden.reply(mine, "A hidden member, anonymously.", "anonymous", "1")
		writer.post(fmt.Sprintf("/p/%d/react", a.firstPostID(theirs)), "kind", "hear_you")
		for _, topic := range []int64{mine, theirs, theirs} {
			writer.get(fmt.Sprintf("/t/%d", topic))
		}
		admin.post(fmt.Sprintf("/p/%d/reveal", anon), "reason", "Checking on their safety")

		d := writer.export()
		if !slices.Equal(d.keys, exportKeys) {
			t.Errorf("top-level keys %v, want exactly %v", d.keys, exportKeys)
		}
		if ct := d.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		disp := regexp.MustCompile(`^attachment; filename="haven-export-exp_writer-(\d{4}-\d{2}-\d{2})\.json"$`).FindStringSubmatch(d.header.Get("Content-Disposition"))
		if disp == nil || disp[1] != time.Now().UTC().Format("2006-01-02") {
			t.Errorf("Content-Disposition %q", d.header.Get("Content-Disposition"))
		}
		if cc := d.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		mustContain(t, d.body, `"username":"exp_writer"`, "My own words about winter.", "Exportable title",
			"First draft of a reply.", "Second draft of a reply.", "An anonymous thought of mine.", "May I join?",
			"Checking on their safety", `"muted_members":["exp_admin"]`)
		// Never a secret, never who moderated, never who wrote an anonymous post. (The sign-in
		// section names when the password was set and when sessions began: never their secrets.)
		mustNotContain(t, d.body, "exp_hidden", "A hidden member", "hash", "token", "argon2", "actor_id", goodPassword)

		var writerID int64
		db.Raw(`SELECT id FROM members WHERE username = 'exp_writer'`).Scan(&writerID)
		for key, q := range map[string]string{
			"activity":       `SELECT COUNT(*) FROM activity_events WHERE member_id = ?`,
			"read_positions": `SELECT COUNT(*) FROM read_positions WHERE member_id = ?`,
			"posts":          `SELECT COUNT(*) FROM posts WHERE author_id = ?`,
			"reactions":      `SELECT COUNT(*) FROM reactions WHERE member_id = ?`,
			"memberships":    `SELECT (SELECT COUNT(*) FROM group_members WHERE member_id = ?) + (SELECT COUNT(*) FROM join_requests WHERE member_id = ?)`,
			"notifications":  `SELECT COUNT(*) FROM notifications WHERE member_id = ?`,
			"moderation":     `SELECT COUNT(*) FROM moderation_log WHERE target_member_id = ?`,
		} {
			want := count(t, db, q, slices.Repeat([]any{writerID}, strings.Count(q, "?"))...)
			if got := len(d.items(t, key)); got != want || want == 0 {
				t.Errorf("%s: %d items, the database holds %d", key, got, want)
			}
		}
		if n := len(d.items(t, "inferences")); n != 1 {
			t.Errorf("%d inferences, want the one interest (Grief)", n)
		}

		// An activity item says what, which topic, which group and when.
		act := d.items(t, "activity")[0]
		var first struct {
			Kind      string
			TopicID   int64
			CreatedAt time.Time
		}
		db.Raw(`SELECT kind, topic_id, created_at FROM activity_events WHERE member_id = ? ORDER BY id LIMIT 1`, writerID).Scan(&first)
		if len(act) != 4 || act["kind"] != "topic_open" || act["topic_id"] != float64(first.TopicID) || act["group"] != "Grief" ||
			act["at"] != first.CreatedAt.UTC().Format(time.RFC3339) {
			t.Errorf("activity item %v, want %+v in Grief", act, first)
		}

		// A read position says which topic and how far: the writer read both topics to their ends.
		for _, rp := range d.items(t, "read_positions") {
			var last int64
			db.Raw(`SELECT MAX(id) FROM posts WHERE topic_id = ?`, int64(rp["topic_id"].(float64))).Scan(&last)
			if rp["group"] != "Grief" || rp["last_read_post_id"] != float64(last) || rp["topic"] == "" || rp["at"] == "" {
				t.Errorf("read position %v, want the topic's last post %d", rp, last)
			}
		}

		// Consents: the choices now, and every change with its receipt.
		var consents struct {
			Current []struct {
				Purpose string
				Granted bool
			}
			History []struct {
				ReceiptID string `json:"receipt_id"`
			}
		}
		json.Unmarshal(d.doc["consents"], &consents)
		var receipts []string
		db.Raw(`SELECT receipt_id FROM consent_records WHERE member_id = ? ORDER BY id`, writerID).Scan(&receipts)
		if len(consents.History) != 3 || len(receipts) != 3 || consents.History[2].ReceiptID != receipts[2] {
			t.Errorf("consent history %+v, receipts %v", consents.History, receipts)
		}
		on := 0
		for _, c := range consents.Current {
			if c.Granted {
				on++
				if c.Purpose != "reading_history" {
					t.Errorf("%s exported as on", c.Purpose)
				}
			}
		}
		if on != 1 || len(consents.Current) < 4 {
			t.Errorf("current consents %+v", consents.Current)
		}

		// Their own anonymous post is there, marked; the anonymous notification names nobody.
		for _, p := range d.items(t, "posts") {
			if p["id"] == float64(anon) && p["anonymous"] != true {
				t.Errorf("own anonymous post not marked: %v", p)
			}
		}
		actors := map[string]bool{}
		for _, n := range d.items(t, "notifications") {
			actors[fmt.Sprint(n["actor"])] = true
		}
		if !actors["exp_other"] || !actors["Anonymous member"] || len(actors) != 2 {
			t.Errorf("notification actors %v", actors)
		}
		mod := d.items(t, "moderation")[0]
		if mod["action"] != "reveal_author" || mod["target_id"] != float64(anon) || mod["reason"] != "Checking on their safety" {
			t.Errorf("moderation item %v", mod)
		}
		if _, named := mod["actor"]; named {
			t.Error("the moderation item names who acted")
		}

		// Another member's export is theirs alone; a visitor gets none.
		o := other.export()
		mustContain(t, o.body, `"username":"exp_other"`, "Other's words.", "Openly replying")
		mustNotContain(t, o.body, "exp_writer", "My own words", "anonymous thought", "exp_hidden")
		if p := a.client().get("/privacy/export"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Errorf("a visitor's export: %d %q", p.status, p.location())
		}
	})
}

// A download that takes longer than the server's write timeout is not cut: the deadline moves
// on with each part sent.
func TestLongExportOutlastsTheWriteTimeout(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	a := newApp(t, db)
	a.admin("long_admin").createGroup("Grief", "grief", "public", false)
	c := a.member("long_reader")
	c.join("grief")
	topic := c.newTopic("grief", "A long read", "Words.")
	id := memberIDOf(t, db, "long_reader")
	const events = 20000
	err := db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO activity_events (member_id, kind, topic_id, group_id, created_at)
		SELECT ?, 'topic_open', ?, (SELECT group_id FROM topics WHERE id = ?), ? FROM n`,
		events, id, topic, topic, time.Now().UTC().Add(-time.Hour)).Error
	if err != nil {
		t.Fatal(err)
	}

	const writeTimeout = 20 * time.Millisecond
	slow := httptest.NewUnstartedServer(a.web)
	slow.Config.WriteTimeout = writeTimeout
	slow.Start()
	defer slow.Close()
	req, _ := http.NewRequest(http.MethodGet, slow.URL+"/privacy/export", nil)
	u, _ := url.Parse(a.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	took := time.Since(start)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the export after %v: status %d, %v (%d bytes read)", took, res.StatusCode, err, len(body))
	}
	if took < 2*writeTimeout {
		t.Fatalf("the export took %v, not longer than the write timeout (%v): the test proves nothing", took, writeTimeout)
	}
	var doc struct {
		Activity []json.RawMessage `json:"activity"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Activity) != events {
		t.Errorf("after %v: %v, %d activity items; want the whole file with %d", took, err, len(doc.Activity), events)
	}
}
