package forum

import (
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
)

// A signed-in viewer's pages skip the visitors setting (accessTo, Directory): that is sound
// only while no decision about a signed-in viewer depends on it.
func TestSignedInAccessDoesNotDependOnTheVisitorsSetting(t *testing.T) {
	t.Parallel()
	archived := time.Now()
	for _, vis := range []string{Public, Private} {
		for _, arch := range []*time.Time{nil, &archived} {
			for _, role := range []string{"", RoleMember, RoleModerator} {
				for _, siteRole := range []string{"", accounts.RoleAdmin} {
					for _, banned := range []bool{false, true} {
						a := access{group: groupRow{Visibility: vis, ArchivedAt: arch}, signedIn: true, role: role,
							viewer: accounts.Viewer{Member: accounts.Member{ID: 7, Role: siteRole}}, sanction: Sanctions{Banned: banned}}
						on := a
						on.visitorsRead = true
						if a.abilities() != on.abilities() || a.canSeeCard() != on.canSeeCard() || a.canSeeOutline() != on.canSeeOutline() {
							t.Errorf("%s group (archived %v), role %q, site role %q, banned %v: the visitors setting changes what a signed-in viewer may do",
								vis, arch != nil, role, siteRole, banned)
						}
					}
				}
			}
		}
	}
}
