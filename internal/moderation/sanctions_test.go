package moderation_test

import (
	"testing"

	"github.com/haven-forum/haven/internal/moderation"
)

func TestSanctionValuesAreChecked(t *testing.T) {
	t.Parallel()
	for _, a := range moderation.MemberActions {
		if err := moderation.CheckMemberAction(a); err != nil {
			t.Errorf("%s refused: %v", a, err)
		}
	}
	for _, a := range []string{"", "Warn", "suspend", "delete"} {
		if moderation.CheckMemberAction(a) == nil {
			t.Errorf("member action %q accepted", a)
		}
	}
	for in, want := range map[string]int{"1": 1, " 720 ": 720} {
		if got, err := moderation.CheckMuteHours(in); err != nil || got != want {
			t.Errorf("CheckMuteHours(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0", "721", "-3", "1.5", "a day"} {
		if _, err := moderation.CheckMuteHours(in); err == nil {
			t.Errorf("mute of %q hours accepted", in)
		}
	}
	for in, want := range map[string]int{"forever": 0, "1": 1, "3650": 3650} {
		if got, err := moderation.CheckSuspendDays(in); err != nil || got != want {
			t.Errorf("CheckSuspendDays(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0", "3651", "Forever", "always"} {
		if _, err := moderation.CheckSuspendDays(in); err == nil {
			t.Errorf("suspension of %q days accepted", in)
		}
	}
}
