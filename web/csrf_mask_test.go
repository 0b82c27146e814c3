package web_test

import (
	"net/http"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// Every response carries the CSRF token under a fresh mask, so a page compressed on its way
// (BREACH) has no stable secret to guess at; every mask of the member's token is accepted, a
// token masked for someone else's session or altered by one character is not.
func TestCSRFTokenIsMaskedPerResponse(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		m := a.member("mask_member")
		other := a.member("mask_other")
		first, second := m.csrf(), m.csrf()
		if first == second {
			t.Fatalf("two pages carried the same token %q: it is not masked per response", first)
		}
		for _, tok := range []string{first, second} {
			if p := m.postRaw("/privacy/consent", tok, "purpose", "reading_history", "enabled", "false"); p.status != http.StatusSeeOther {
				t.Errorf("a masked token of the member's own was refused: %d", p.status)
			}
		}
		refused := map[string]string{"another member's token": other.csrf(), "an altered token": flip(first)}
		for what, tok := range refused {
			if p := m.postRaw("/privacy/consent", tok, "purpose", "reading_history", "enabled", "false"); p.status != http.StatusForbidden {
				t.Errorf("%s was accepted: %d", what, p.status)
			}
		}
	})
}

func flip(s string) string {
	b := []byte(s)
	if b[len(b)/2] == 'A' {
		b[len(b)/2] = 'B'
	} else {
		b[len(b)/2] = 'A'
	}
	return string(b)
}
