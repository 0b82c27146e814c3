package markdown

import (
	"regexp"
	"strings"
	"testing"
)

var executable = regexp.MustCompile(`(?i)<script|<iframe|<object|<embed|<img|<svg|<style|\son\w+\s*=|javascript:|data:text/html|<form|<input`)

func TestRenderNeverEmitsExecutableOrRemoteContent(t *testing.T) {
	t.Parallel()
	hostile := []string{
		`<script>alert(1)</script>`,
		`<img src="https://tracker.example/p.gif" onerror="alert(1)">`,
		`![pixel](https://tracker.example/p.gif)`,
		`[click](javascript:alert(1))`,
		`[x](JaVaScRiPt:alert(1))`,
		`<a href="https://x.example" onclick="steal()">hi</a>`,
		`<svg onload=alert(1)>`,
		`<iframe src="https://evil.example"></iframe>`,
		"```html\n<script>alert(1)</script>\n```",
		`<style>body{display:none}</style>`,
		`[a](data:text/html;base64,PHNjcmlwdD4=)`,
		`<form action="https://evil.example"><input name=x></form>`,
		`**unclosed _emphasis [link(`,
	}
	for _, src := range hostile {
		out := Render(src)
		if m := executable.FindString(out); m != "" {
			t.Errorf("Render(%q) = %q contains %q", src, out, m)
		}
	}
}

func TestImagesBecomePlainLinks(t *testing.T) {
	t.Parallel()
	out := Render(`![a calm lake](https://photos.example/lake.jpg)`)
	if strings.Contains(out, "<img") {
		t.Fatalf("an image would load: %s", out)
	}
	if !strings.Contains(out, `href="https://photos.example/lake.jpg"`) || !strings.Contains(out, "image: a calm lake") {
		t.Errorf("the image did not become a link: %s", out)
	}
}

func TestLinksAreMarkedAsUserContent(t *testing.T) {
	t.Parallel()
	out := Render(`[help](https://help.example/)`)
	if !strings.Contains(out, `rel="nofollow ugc noopener noreferrer"`) {
		t.Errorf("link rel: %s", out)
	}
	if strings.Count(out, "rel=") != 1 {
		t.Errorf("two rel attributes: %s", out)
	}
}

func TestOrdinaryMarkdownSurvives(t *testing.T) {
	t.Parallel()
	out := Render("## Heading\n\n- one\n- **two**\n\n> quoted")
	for _, want := range []string{"<h2", "<li>one</li>", "<strong>two</strong>", "<blockquote>"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in %s", want, out)
		}
	}
}

func TestProseIsOnlyTheWritersOwnText(t *testing.T) {
	t.Parallel()
	tests := []struct{ src, want string }{
		{"plain **bold** words", "plain bold words"},
		{"`code span` and\n\n```\nfenced block\n```\n\n    indented block\n", "and"},
		{"> someone else's words\n\nmine", "mine"},
		{"see <https://example.com/x> and <b>tag</b> here", "see and tag here"},
		{"![alt words](https://x.example/p.png)", "alt words"},
		{"write to a@b.example or www.x.example now", "write to or now"}, // linkified addresses are not prose
	}
	for _, tt := range tests {
		if got := strings.Join(strings.Fields(Prose(tt.src)), " "); got != tt.want {
			t.Errorf("Prose(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}
