package web_test

import (
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

// The policy says, for everything Haven does without asking, its legal basis, who sees it and
// how long it is kept (the retention the purges enforce); how to object and where to complain;
// and what counts as an established member, with the risk that remains.
func TestPolicySaysWhatRunsWithoutConsent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		a := newApp(t, db, func(d *web.Deps) { d.Privacy.Established = privacy.DefaultEstablished })
		policy := html.UnescapeString(a.client().get("/privacy/policy").body)
		for _, name := range []string{"The crisis-phrase check", "The moderation record", "Reports and the moderators' queue",
			"Earlier versions of edited posts", "Sign-in sessions", "Rate-limit counters", "Notifications", "The erasure list"} {
			i := strings.Index(policy, name)
			if i < 0 {
				t.Errorf("the policy does not say what %q is", name)
				continue
			}
			card := policy[i:min(len(policy), i+2500)]
			for _, fact := range []string{"Legal basis", "GDPR Art. 6(1)", "Who can see it", "How long it is kept"} {
				if !strings.Contains(card, fact) {
					t.Errorf("%q: no %q", name, fact)
				}
			}
		}
		days := func(d time.Duration) string { return fmt.Sprintf("%d days", int(d/(24*time.Hour))) }
		for name, d := range map[string]time.Duration{"Notifications": forum.NotificationRetention, "Earlier versions": forum.RevisionRetention,
			"Reports and the moderators' queue": moderation.HandledItemRetention, "Sign-in sessions": accounts.SessionLifetime} {
			i := strings.Index(policy, name)
			if i < 0 || !strings.Contains(policy[i:min(len(policy), i+2500)], days(d)) {
				t.Errorf("%q does not state the retention its purge enforces (%s)", name, days(d))
			}
		}
		mustContain(t, policy, "Art. 21", "Art. 77", "supervisory authority", "established members", "14 days old",
			"at least 3 visible posts and reactions", "What this does not prevent", "Who is responsible", "Haven test")
	})
}
