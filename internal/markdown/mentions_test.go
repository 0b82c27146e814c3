package markdown

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestMentionsAreMarkedOutsideCodeAndLinksOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{"hi @Bob_the_cat, and @al.", []string{"bob_the_cat"}}, // @al is too short for a username
		{"`@bob` and **@Carol** and _@dave_", []string{"carol", "dave"}},
		{"```\n@bob\n```\n\n    @eve indented", nil},
		{"[@bob](https://example.org) <https://example.org/@bob> mail a@bob.org", nil},
		{"> @quoted said\n\n@after_quote", []string{"quoted", "after_quote"}},
		{"@bob@bob x@bob", []string{"bob"}},
		{"@" + strings.Repeat("a", 31), nil},
		{"# Heading @head\n\n| a |\n| - |\n| @cell |", []string{"head", "cell"}},
	} {
		if got := MentionKeys(Render(tc.src)); !slices.Equal(got, tc.want) {
			t.Errorf("MentionKeys(Render(%q)) = %v, want %v\n%s", tc.src, got, tc.want, Render(tc.src))
		}
	}
}

func TestMentionsMarkedPerPostAreBounded(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := 0; i < MentionsMarked+5; i++ {
		fmt.Fprintf(&b, "@name%03d ", i)
	}
	if got := len(MentionKeys(Render(b.String()))); got != MentionsMarked {
		t.Errorf("%d names marked, want %d", got, MentionsMarked)
	}
}

func TestLinkMentionsLinksOnlyMembers(t *testing.T) {
	t.Parallel()
	html := Render("Thanks @Bob and @nobody, and `@bob`.")
	out := LinkMentions(html, map[string]string{"bob": "bob"}, func(u string) string { return "/u/" + u })
	if !strings.Contains(out, `<a href="/u/bob" class="mention">@Bob</a>`) || strings.Contains(out, "/u/nobody") ||
		!strings.Contains(out, "<code>@bob</code>") {
		t.Errorf("LinkMentions = %s", out)
	}
	// A marker only Render makes: text that looks like one is escaped, never linked.
	forged := Render(`<span data-mention="bob">@bob" onclick="x</span>`)
	if strings.Contains(LinkMentions(forged, map[string]string{"bob": "bob"}, func(u string) string { return "/u/" + u }), "onclick=\"") {
		t.Errorf("a forged marker became an attribute: %s", forged)
	}
}

// BenchmarkLinkMentions is the read-time cost of mention links for one topic page: 50 stored
// posts, each naming three members and one non-member.
//
//	go test ./internal/markdown -run '^$' -bench LinkMentions
func BenchmarkLinkMentions(b *testing.B) {
	htmls := make([]string, 50)
	for i := range htmls {
		htmls[i] = Render(fmt.Sprintf("Thank you @alice_%d, @bob and @carol for this, and @nobody_%d.\n\nA second paragraph with **bold** text.", i%5, i))
	}
	members := map[string]string{"bob": "bob", "carol": "Carol"}
	for i := 0; i < 5; i++ {
		members[fmt.Sprintf("alice_%d", i)] = fmt.Sprintf("alice_%d", i)
	}
	href := func(u string) string { return "/u/" + u }
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, h := range htmls {
			_ = MentionKeys(h)
			_ = LinkMentions(h, members, href)
		}
	}
}
