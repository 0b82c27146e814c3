package paths

import "testing"

func TestBuiltURLs(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{Page(Mod, 2), "/mod?page=2"},
		{Page(Search+"?q=sleep", 3), "/search?q=sleep&page=3"},
		{LogInThen("/t/5?page=2"), "/login?next=%2Ft%2F5%3Fpage%3D2"},
		{Group("a b/c"), "/g/a%20b%2Fc"}, // a slug can never reach another route
		{ModMemberAction("g", "x/y", "warn"), "/mod/groups/g/members/x%2Fy/warn"},
		{PostReport(42), "/p/42/report"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
