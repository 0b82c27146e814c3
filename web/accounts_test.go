package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/throttle"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

func countMembers(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Raw(`SELECT COUNT(*) FROM members`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSignUpLogOutLogIn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.client()
		codes := c.signUp("quiet_river")
		if len(codes) != 10 {
			t.Fatalf("sign-up showed %d recovery codes, want 10", len(codes))
		}
		home := c.get("/")
		mustContain(t, home.body, "Welcome, quiet_river", `action="/logout"`) // just signed up: not "welcome back"

		out := c.post("/logout")
		if out.status != http.StatusSeeOther || out.location() != "/" {
			t.Fatalf("log-out: %d → %q", out.status, out.location())
		}
		home = c.get("/")
		mustContain(t, home.body, "You are logged out", `href="/login"`)
		mustNotContain(t, home.body, "quiet_river")
		if p := c.get("/account"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Fatalf("signed-out /account: %d → %q, want a redirect to log in", p.status, p.location())
		}

		bad := c.logIn("quiet_river", "wrong password here")
		if bad.status != http.StatusUnauthorized {
			t.Fatalf("wrong password: status %d", bad.status)
		}
		mustContain(t, bad.body, "do not match an account", `value="quiet_river"`)
		mustNotContain(t, bad.body, "wrong password here")

		in := c.logIn("QUIET_River", goodPassword) // usernames match regardless of case
		if in.status != http.StatusSeeOther || in.location() != "/" {
			t.Fatalf("log-in: %d → %q\n%s", in.status, in.location(), in.body)
		}
		acct := c.get("/account")
		mustContain(t, acct.body, "quiet_river", "10 unused recovery codes")
		if cc := acct.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("account page Cache-Control = %q, want no-store", cc)
		}
	})
}

func TestSignUpRefusesBadInputAndKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.client().signUp("taken_name")
		cases := []struct {
			name, username, password, confirm, message string
		}{
			{"short password", "new_member", "short", "short", "at least 10 characters"},
			{"mismatch", "new_member", goodPassword, goodPassword + "x", "do not match"},
			{"too short name", "ab", goodPassword, goodPassword, "3 to 30 characters"},
			{"too long name", strings.Repeat("a", 31), goodPassword, goodPassword, "3 to 30 characters"},
			{"spaces", "my name", goodPassword, goodPassword, "Use only letters"},
			{"markup", "<b>x</b>", goodPassword, goodPassword, "Use only letters"},
			{"taken, other case", "TAKEN_name", goodPassword + "2", goodPassword + "2", "That username is taken"},
			{"password too long", "new_member", strings.Repeat("p", 257), strings.Repeat("p", 257), "at most 256 characters"},
			{"password is the name", "new_member_x", "new_member_x", "new_member_x", "must not be your username"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := countMembers(t, db)
				p := a.client().post("/signup", "username", tc.username, "password", tc.password, "password_confirm", tc.confirm)
				if p.status != http.StatusUnprocessableEntity && p.status != http.StatusConflict {
					t.Fatalf("status %d, want 422 or 409\n%s", p.status, p.body)
				}
				mustContain(t, p.body, tc.message, `aria-invalid="true"`)
				mustContain(t, p.body, `value="`+escape(tc.username)+`"`)
				if strings.Contains(p.body, `type="password" value=`) {
					t.Error("the password was echoed back into the form")
				}
				if after := countMembers(t, db); after != before {
					t.Errorf("members went from %d to %d on a refused sign-up", before, after)
				}
			})
		}
	})
}

func escape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestSignUpBindsOnlyItsFields(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.client()
		p := c.post("/signup", "username", "sneaky", "password", goodPassword, "password_confirm", goodPassword, "role", "admin", "id", "999")
		if p.status != http.StatusSeeOther {
			t.Fatalf("sign-up: %d", p.status)
		}
		var role string
		var id int64
		db.Raw(`SELECT role, id FROM members WHERE username_key = 'sneaky'`).Row().Scan(&role, &id)
		if role != "member" || id == 999 {
			t.Errorf("role %q id %d: a form field the sign-up does not name was bound", role, id)
		}
		mustNotContain(t, c.get("/account").body, "Site admin")
	})
}

func TestDoubleSubmittedSignUpMakesOneAccount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.client()
		token := c.csrf()
		// A double click sends the second request before the first answer arrives: same cookies.
		sameBrowser := a.client()
		u, _ := url.Parse(a.srv.URL)
		sameBrowser.http.Jar.SetCookies(u, c.http.Jar.Cookies(u))
		fields := []string{"username", "twice", "password", goodPassword, "password_confirm", goodPassword}
		first := c.postRaw("/signup", token, fields...)
		second := sameBrowser.postRaw("/signup", token, fields...) // the browser shows only this one
		if first.status != http.StatusSeeOther || second.status != http.StatusSeeOther {
			t.Fatalf("statuses %d, %d; want both 303\n%s", first.status, second.status, second.body)
		}
		first, second = c.get(first.location()), sameBrowser.get(second.location())
		if n := countMembers(t, db); n != 1 {
			t.Fatalf("%d accounts after a double click, want 1", n)
		}
		codes := recoveryCodes(second.body)
		if len(codes) != 10 {
			t.Fatalf("the second response shows %d codes", len(codes))
		}
		// The codes the member actually saw are the ones that work.
		other := a.client()
		old := other.post("/recover", "username", "twice", "code", recoveryCodes(first.body)[0], "password", "a brand new password", "password_confirm", "a brand new password")
		if old.status != http.StatusUnprocessableEntity {
			t.Errorf("a code from the unseen first response still works: %d", old.status)
		}
		ok := other.post("/recover", "username", "twice", "code", codes[0], "password", "a brand new password", "password_confirm", "a brand new password")
		if ok.status != http.StatusSeeOther {
			t.Errorf("a code from the response the member saw does not work: %d\n%s", ok.status, ok.body)
		}
	})
}

func TestLogOutEverywhereEndsOtherSessions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		phone, laptop := a.client(), a.client()
		phone.signUp("two_devices")
		if p := laptop.logIn("two_devices", goodPassword); p.status != http.StatusSeeOther {
			t.Fatalf("log-in: %d", p.status)
		}
		mustContain(t, laptop.get("/account").body, "two_devices")

		p := phone.post("/account/logout-everywhere")
		if p.status != http.StatusSeeOther {
			t.Fatalf("log out everywhere: %d", p.status)
		}
		mustContain(t, phone.get("/account").body, "Signed out of 1 other device")
		if p := laptop.get("/account"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Fatalf("the other device still reaches /account: %d %q", p.status, p.location())
		}
		mustNotContain(t, laptop.get("/").body, "two_devices")
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		me, other := a.client(), a.client()
		me.signUp("changer")
		other.logIn("changer", goodPassword)

		wrong := me.post("/account/password", "current_password", "not it at all", "password", "new password 123", "password_confirm", "new password 123")
		if wrong.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong current password: %d", wrong.status)
		}
		mustContain(t, wrong.body, "That is not your current password")

		ok := me.post("/account/password", "current_password", goodPassword, "password", "new password 123", "password_confirm", "new password 123")
		if ok.status != http.StatusSeeOther {
			t.Fatalf("change: %d\n%s", ok.status, ok.body)
		}
		mustContain(t, me.get("/account").body, "Your password was changed")
		if p := other.get("/account"); p.status != http.StatusSeeOther {
			t.Errorf("the other session survived a password change: %d", p.status)
		}
		fresh := a.client()
		if p := fresh.logIn("changer", goodPassword); p.status != http.StatusUnauthorized {
			t.Errorf("the old password still works: %d", p.status)
		}
		if p := fresh.logIn("changer", "new password 123"); p.status != http.StatusSeeOther {
			t.Errorf("the new password does not work: %d", p.status)
		}
	})
}

func TestRecoveryCodeResetsPasswordOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		owner := a.client()
		codes := owner.signUp("forgetful")
		c := a.client()
		typed := strings.ToLower(strings.ReplaceAll(codes[3], "-", " ")) // as a person might type it
		p := c.post("/recover", "username", "forgetful", "code", typed, "password", "remembered now 1", "password_confirm", "remembered now 1")
		if p.status != http.StatusSeeOther || p.location() != "/account" {
			t.Fatalf("recover: %d %q\n%s", p.status, p.location(), p.body)
		}
		mustContain(t, c.get("/account").body, "Your password was reset", "9 unused recovery codes")
		if p := owner.get("/account"); p.status != http.StatusSeeOther {
			t.Error("recovery did not sign out the other session")
		}
		again := a.client().post("/recover", "username", "forgetful", "code", codes[3], "password", "remembered now 2", "password_confirm", "remembered now 2")
		if again.status != http.StatusUnprocessableEntity {
			t.Errorf("a used code worked again: %d", again.status)
		}
		mustContain(t, again.body, "do not match", `value="forgetful"`)
	})
}

func TestRegenerateRecoveryCodes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.client()
		old := c.signUp("regen")
		if p := c.post("/account/recovery-codes", "codes_password", "nope nope nope"); p.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password: %d", p.status)
		}
		p := c.post("/account/recovery-codes", "codes_password", goodPassword)
		fresh := recoveryCodes(p.body)
		if len(fresh) != 10 {
			t.Fatalf("%d new codes shown", len(fresh))
		}
		r := a.client().post("/recover", "username", "regen", "code", old[0], "password", "another password", "password_confirm", "another password")
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("an old code still works after regenerating: %d", r.status)
		}
	})
}

func TestLogInRateLimit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db, func(d *web.Deps) {
			d.Limits.LoginPerUsername = throttle.Limit{Max: 3, Window: time.Hour}
		})
		a.client().signUp("guarded")
		attacker := a.client()
		for i := 0; i < 3; i++ {
			if p := attacker.logIn("guarded", "guess number "+string(rune('a'+i))); p.status != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d", i, p.status)
			}
		}
		p := attacker.logIn("guarded", goodPassword)
		if p.status != http.StatusTooManyRequests {
			t.Fatalf("after 3 failures the right password got %d, want 429", p.status)
		}
		mustContain(t, p.body, "try again in")
		if p.header.Get("Retry-After") == "" {
			t.Error("no Retry-After header")
		}
		// Other accounts are not locked by someone else's guessing.
		a.client().signUp("bystander")
		if p := a.client().logIn("bystander", goodPassword); p.status != http.StatusSeeOther {
			t.Errorf("another username was limited too: %d", p.status)
		}
	})
}

func TestSignUpRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db, func(d *web.Deps) {
			d.Limits.SignUpPerAddress = throttle.Limit{Max: 2, Window: time.Hour}
		})
		a.client().signUp("first_one")
		a.client().signUp("second_one")
		p := a.client().post("/signup", "username", "third_one", "password", goodPassword, "password_confirm", goodPassword)
		if p.status != http.StatusTooManyRequests {
			t.Fatalf("third sign-up from one address: %d, want 429", p.status)
		}
		mustContain(t, p.body, "Please try again in")
		if n := countMembers(t, db); n != 2 {
			t.Errorf("%d members, want 2", n)
		}
	})
}

func TestSessionIsRenewedAtLogIn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.client().signUp("fixated")
		c := a.client()
		before := c.csrf()
		c.logIn("fixated", goodPassword)
		after := c.csrf()
		if before == after {
			t.Error("the CSRF token survived log-in")
		}
		// A form token from before the log-in no longer works.
		if p := c.postRaw("/account/logout-everywhere", before); p.status != http.StatusForbidden {
			t.Errorf("pre-login token accepted after log-in: %d", p.status)
		}
		var sessions int64
		db.Raw(`SELECT COUNT(*) FROM sessions`).Scan(&sessions)
		if sessions != 2 { // the sign-up's and this log-in's
			t.Errorf("%d sessions, want 2", sessions)
		}
	})
}

func TestLogInRedirectsOnlyWithinTheSite(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.client().signUp("traveller")
		cases := map[string]string{
			"/account":                  "/account",
			"/account?tab=1":            "/account?tab=1",
			"//evil.example/":           "/",
			"https://evil.example/":     "/",
			"/\\evil.example":           "/",
			"javascript:alert(1)":       "/",
			"":                          "/",
			"/ok\r\nLocation: http://x": "/",
		}
		for next, want := range cases {
			c := a.client()
			p := c.post("/login", "username", "traveller", "password", goodPassword, "next", next)
			if p.status != http.StatusSeeOther || p.location() != want {
				t.Errorf("next=%q: %d → %q, want %q", next, p.status, p.location(), want)
			}
		}
		// The log-in link a protected page makes carries the way back.
		p := a.client().get("/account")
		if p.location() != "/login?next=%2Faccount" {
			t.Errorf("redirect to log-in = %q", p.location())
		}
	})
}
