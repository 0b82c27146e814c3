package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

var receiptLink = regexp.MustCompile(`href="(/privacy/receipts/[0-9a-f-]{36})"`)

func TestReceiptDownload(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		m := a.member("receipt_owner")
		m.post("/privacy/consent", "purpose", privacy.ReadingHistory, "enabled", "true")
		link := receiptLink.FindStringSubmatch(m.get("/privacy").body)
		if link == nil {
			t.Fatal("the consent history has no receipt link")
		}
		p := m.get(link[1])
		if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "application/json") {
			t.Fatalf("receipt: %d %q\n%s", p.status, p.header.Get("Content-Type"), p.body)
		}
		if cd := p.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
			t.Errorf("Content-Disposition %q, want a JSON attachment", cd)
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(p.body), &r); err != nil {
			t.Fatalf("receipt is not JSON: %v\n%s", err, p.body)
		}
		for key, want := range map[string]any{"version": "KI-CR-v1.1.0", "consentReceiptID": strings.TrimPrefix(link[1], "/privacy/receipts/"),
			"collectionMethod": "Haven privacy dashboard", "haven:action": "granted", "sensitive": true} {
			if r[key] != want {
				t.Errorf("%s is %v, want %v", key, r[key], want)
			}
		}
		for _, key := range []string{"jurisdiction", "consentTimestamp", "language", "piiPrincipalId", "piiControllers", "policyUrl", "services", "spiCat"} {
			if _, ok := r[key]; !ok {
				t.Errorf("the receipt has no %q", key)
			}
		}
		assertStatus(t, a.member("receipt_other").get(link[1]), http.StatusNotFound, "another member's receipt")
		assertStatus(t, m.get("/privacy/receipts/00000000-0000-4000-8000-000000000000"), http.StatusNotFound, "an unknown receipt")
		if p := a.client().get(link[1]); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Errorf("signed out: %d %q, want sent to log in", p.status, p.location())
		}
	})
}

func TestPolicyPageIsTheRegistry(t *testing.T) {
	// Not parallel: it changes privacy.Purposes, which every other test reads.
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		visitor := a.client()
		p := visitor.get("/privacy/policy")
		assertStatus(t, p, http.StatusOK, "the policy, signed out")
		for _, pu := range privacy.Purposes {
			for _, text := range []string{pu.Title, pu.Sentence, pu.Records, pu.UsedFor, pu.WhoSees, pu.Retention} {
				mustContain(t, p.body, html.EscapeString(text))
			}
		}
		mustContain(t, p.body, "argon2id", "recovery codes", "15 minutes", "keyed hash", "never the address",
			"email address", "search for", "last seen", "moderation record", "Global Privacy Control", "/.well-known/gpc.json",
			`href="/privacy/export"`, `href="/privacy"`, `href="/account"`)

		// A change to the registry is a change to the page.
		saved := privacy.Purposes
		t.Cleanup(func() { privacy.Purposes = saved })
		privacy.Purposes = slices.Clone(saved)
		privacy.Purposes[0].Sentence = "A sentence only the registry knows."
		mustContain(t, visitor.get("/privacy/policy").body, "A sentence only the registry knows.")
	})
}

func TestPolicyPageNoticesGPC(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.client()
		mustNotContain(t, c.get("/privacy/policy").body, "sending Global Privacy Control now")
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/privacy/policy", nil)
		req.Header.Set("Sec-GPC", "1")
		mustContain(t, c.do(req).body, "sending Global Privacy Control now")
	})
}

func TestGPCJSON(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		p := newApp(t, db).client().get("/.well-known/gpc.json")
		if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "application/json") {
			t.Fatalf("gpc.json: %d %q", p.status, p.header.Get("Content-Type"))
		}
		var got struct {
			GPC        *bool   `json:"gpc"`
			LastUpdate *string `json:"lastUpdate"`
		}
		if err := json.Unmarshal([]byte(p.body), &got); err != nil || got.GPC == nil || !*got.GPC ||
			got.LastUpdate == nil || *got.LastUpdate != "2026-11-23" {
			t.Errorf("gpc.json: %s (%v)", p.body, err)
		}
		if c := p.header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("gpc.json sets cookies: %q", c)
		}
	})
}

// consentRecords lists every consent change as "purpose method granted", in order.
func consentRecords(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var rows []struct {
		Purpose, Method string
		Granted         bool
	}
	if err := db.Raw(`SELECT purpose, method, granted FROM consent_records ORDER BY id`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		state := "off"
		if r.Granted {
			state = "on"
		}
		out = append(out, r.Purpose+" "+r.Method+" "+state)
	}
	return out
}

var checkbox = regexp.MustCompile(`<input type="checkbox"[^>]*>`)

func TestWelcomeIsCalmAndSkipKeepsEverythingOff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		m := a.client()
		m.signUp("welcome_skipper")
		w := m.get("/welcome")
		assertStatus(t, w, http.StatusOK, "the welcome screen")
		for _, pu := range privacy.Purposes {
			mustContain(t, w.body, html.EscapeString(pu.Title), html.EscapeString(pu.Sentence),
				html.EscapeString(pu.Records), html.EscapeString(pu.WhoSees), `id="f-purpose-`+pu.Key+`"`, `for="f-purpose-`+pu.Key+`"`)
		}
		boxes := checkbox.FindAllString(w.body, -1)
		if len(boxes) != len(privacy.Purposes) {
			t.Errorf("%d checkboxes, want one per purpose (%d)", len(boxes), len(privacy.Purposes))
		}
		for _, b := range boxes {
			if strings.Contains(b, "checked") {
				t.Errorf("a box is ticked for the member: %s", b)
			}
		}
		mustContain(t, w.body, "Save my choices", "Skip: keep everything off")

		// Skip wins even over a ticked box, and records nothing at all.
		p := m.post("/welcome", "action", "skip", "purpose", privacy.ReadingHistory)
		if p.status != http.StatusSeeOther || p.location() != "/" {
			t.Fatalf("skip: %d %q", p.status, p.location())
		}
		mustContain(t, m.get("/").body, "Everything stays off")
		if recs := consentRecords(t, db); len(recs) != 0 {
			t.Errorf("skipping recorded %q", recs)
		}
		var n int64
		db.Raw(`SELECT COUNT(*) FROM consents`).Scan(&n)
		if n != 0 {
			t.Errorf("skipping left %d consent rows", n)
		}
		mustNotContain(t, m.get("/privacy").body, "<strong>On.</strong>")
	})
}

func TestWelcomeSavesOnlyWhatWasTicked(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		m := a.client()
		signedUp := m.post("/signup", "username", "welcome_chooser", "password", goodPassword, "password_confirm", goodPassword)
		codes := m.get(signedUp.location())
		mustContain(t, codes.body, `href="/welcome"`, "I have saved my codes")
		p := m.post("/welcome", "action", "save", "purpose", privacy.ReadingHistory, "purpose", privacy.CommunityInsights,
			"purpose", "not_a_purpose")
		if p.status != http.StatusSeeOther || p.location() != "/" {
			t.Fatalf("save: %d %q\n%s", p.status, p.location(), p.body)
		}
		mustContain(t, m.get("/").body, "Switched on: “Reading history”, “Count me in group statistics”")
		want := []string{privacy.ReadingHistory + " signup_prompt on", privacy.CommunityInsights + " signup_prompt on"}
		if got := consentRecords(t, db); !slices.Equal(got, want) {
			t.Errorf("consent records %q, want %q: unticked purposes were never on, so nothing is withdrawn", got, want)
		}
		mustContain(t, m.get("/privacy").body, "from the welcome screen")

		// Back on the welcome screen, what is on is said to be on, and saving again records nothing new.
		w := m.get("/welcome")
		if n := len(checkbox.FindAllString(w.body, -1)); n != len(privacy.Purposes)-2 {
			t.Errorf("%d checkboxes with two purposes on, want %d", n, len(privacy.Purposes)-2)
		}
		mustContain(t, w.body, "already on")
		m.post("/welcome", "action", "save", "purpose", privacy.ReadingHistory)
		if got := consentRecords(t, db); len(got) != 2 {
			t.Errorf("saving an unchanged choice recorded again: %q", got)
		}

		if p := a.client().get("/welcome"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Errorf("signed out: %d %q, want sent to log in", p.status, p.location())
		}
	})
}
