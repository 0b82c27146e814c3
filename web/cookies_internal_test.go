package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// Session cookies are written as JSON, and a cookie written as gob before the change still signs
// a member in; a cookie under another key does not decode at all.
func TestSessionCookiesAreJSONAndOldOnesStillDecode(t *testing.T) {
	t.Parallel()
	secret := []byte("a session key of thirty-two bytes")
	store := newCookieStore(secret)
	values := map[any]any{"sid": "token-123", "csrf": "csrf-456", "new_member": true}

	written, err := securecookie.EncodeMulti("haven", values, store.Codecs...)
	if err != nil {
		t.Fatal(err)
	}
	asJSON := securecookie.New(deriveKey(secret, "cookie-hash"), deriveKey(secret, "cookie-encrypt"))
	asJSON.SetSerializer(sessionJSON{})
	var got map[any]any
	if err := asJSON.Decode("haven", written, &got); err != nil || got["sid"] != "token-123" {
		t.Fatalf("a new cookie is not JSON: %v %v", err, got)
	}

	old := sessions.NewCookieStore(deriveKey(secret, "cookie-hash"), deriveKey(secret, "cookie-encrypt")) // gob, as before
	for name, s := range map[string]*sessions.CookieStore{"gob (before)": old, "json (now)": store} {
		cookie, err := securecookie.EncodeMulti("haven", values, s.Codecs...)
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(&http.Cookie{Name: "haven", Value: cookie})
		sess, err := store.Get(req, "haven")
		if err != nil || sess.Values["sid"] != "token-123" || sess.Values["new_member"] != true {
			t.Errorf("a %s cookie did not decode: %v %v", name, err, sess.Values)
		}
	}

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: "haven", Value: written})
	if sess, err := newCookieStore([]byte("another key entirely, 32 bytes!!")).Get(req, "haven"); err == nil || sess.Values["sid"] != nil {
		t.Errorf("a cookie decoded under another key: %v", sess.Values)
	}
}

// BenchmarkSessionCookieDecode: a signed-in member's cookie, as gob (before) and as JSON (now).
//
//	go test ./web -run '^$' -bench BenchmarkSessionCookieDecode
func BenchmarkSessionCookieDecode(b *testing.B) {
	secret := []byte("a session key of thirty-two bytes")
	values := map[any]any{"sid": "Vf0d2tQh7m1wXy3n6Z8kq4Lr9sB5cJ2eT1uA0oP7iM4", "csrf": "Kq8rT2mN5vX1wZ4yB7cE0fH3jL6pS9uA2dG5iO8kR1t"}
	store := newCookieStore(secret)
	old := sessions.NewCookieStore(deriveKey(secret, "cookie-hash"), deriveKey(secret, "cookie-encrypt"))
	for name, s := range map[string]*sessions.CookieStore{"gob": old, "json": store} {
		cookie, err := securecookie.EncodeMulti("haven", values, s.Codecs...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				var got map[any]any
				if err := securecookie.DecodeMulti("haven", cookie, &got, s.Codecs...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
