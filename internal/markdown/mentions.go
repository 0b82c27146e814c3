package markdown

import (
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Limits on what counts as an @mention: a username's own length (accounts.UsernameMin/Max).
const (
	mentionMin = 3
	mentionMax = 30
	// MentionsMarked bounds the distinct names marked in one post, so one page's lookup stays small.
	MentionsMarked = 20
)

var mentionPattern = regexp.MustCompile(`@([A-Za-z0-9_-]+)`)

// FindMentions returns where each @name in s starts and ends (the name, without "@"): a name of
// a username's length not glued to a word, an address or another "@" within s (one run of text).
// Notifications and rendering both use it, so a link and a notification name the same members.
func FindMentions(s string) [][2]int {
	var out [][2]int
	for _, m := range mentionPattern.FindAllStringSubmatchIndex(s, -1) {
		if n := m[3] - m[2]; (m[0] > 0 && isNameByte(s[m[0]-1])) || n < mentionMin || n > mentionMax {
			continue
		}
		out = append(out, [2]int{m[2], m[3]})
	}
	return out
}

func isNameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("_-.@", b) >= 0
}

// KindMention is the node of an @name in a post's text.
var KindMention = ast.NewNodeKind("Mention")

// mention is an @name outside code and links. It renders as a marker, never as a link: whether
// the name is a member is decided when the page is shown (LinkMentions), so stored HTML never
// links to an account deleted since.
type mention struct {
	ast.BaseInline
	written string // as the author typed it
}

func (n *mention) Kind() ast.NodeKind { return KindMention }
func (n *mention) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Name": n.written}, nil)
}
func (n *mention) key() string { return strings.ToLower(n.written) }
func (mentionRenderer) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(KindMention, renderMention)
}

type mentionRenderer struct{}

func renderMention(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*mention)
		_, _ = w.WriteString(`<span data-mention="` + n.key() + `">@` + n.written + `</span>`)
	}
	return ast.WalkSkipChildren, nil
}

// mentions marks the @names in the text of a post, skipping code, links and raw HTML.
type mentions struct{}

func (mentions) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var runs [][]*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.CodeSpan, *ast.Link, *ast.AutoLink, *ast.RawHTML, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		runs = append(runs, textRuns(n)...)
		return ast.WalkContinue, nil
	})
	seen := map[string]bool{}
	for _, run := range runs {
		markRun(run, src, seen)
	}
}

// textRuns groups n's direct Text children into runs of contiguous source (goldmark splits
// "@a_b" at each "_"), each run read as one string.
func textRuns(n ast.Node) [][]*ast.Text {
	var out [][]*ast.Text
	var cur []*ast.Text
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			cur = nil
			continue
		}
		if len(cur) > 0 {
			last := cur[len(cur)-1]
			if last.Segment.Stop != t.Segment.Start || last.SoftLineBreak() || last.HardLineBreak() || last.IsRaw() {
				cur = nil
			}
		}
		if cur == nil {
			out = append(out, nil)
		}
		cur = append(cur, t)
		out[len(out)-1] = cur
	}
	return out
}

// markRun replaces a run of Text nodes holding @names with text and mention nodes.
func markRun(run []*ast.Text, src []byte, seen map[string]bool) {
	first, last := run[0], run[len(run)-1]
	start, stop := first.Segment.Start, last.Segment.Stop
	found := FindMentions(string(src[start:stop]))
	if len(found) == 0 {
		return
	}
	parent := first.Parent()
	at := start
	var pieces []ast.Node
	for _, m := range found {
		name := string(src[start+m[0] : start+m[1]])
		key := strings.ToLower(name)
		if !seen[key] && len(seen) >= MentionsMarked {
			continue
		}
		seen[key] = true
		if start+m[0]-1 > at {
			pieces = append(pieces, ast.NewTextSegment(text.NewSegment(at, start+m[0]-1)))
		}
		pieces = append(pieces, &mention{written: name})
		at = start + m[1]
	}
	if len(pieces) == 0 {
		return
	}
	tail := ast.NewTextSegment(text.NewSegment(at, stop))
	tail.SetSoftLineBreak(last.SoftLineBreak())
	tail.SetHardLineBreak(last.HardLineBreak())
	pieces = append(pieces, tail)
	for _, p := range pieces {
		parent.InsertBefore(parent, first, p)
	}
	for _, t := range run {
		parent.RemoveChild(parent, t)
	}
}

const markerOpen, markerClose = `<span data-mention="`, `</span>`

// markers calls fn with the place, key and written name of each marker Render made in html.
// A plain scan, not a regular expression: it runs over every post on every page shown.
func markers(html string, fn func(start, end int, key, written string)) {
	for pos := 0; ; {
		i := strings.Index(html[pos:], markerOpen)
		if i < 0 {
			return
		}
		start := pos + i
		pos = start + len(markerOpen)
		q := strings.IndexByte(html[pos:], '"')
		if q < 0 {
			return
		}
		key := html[pos : pos+q]
		rest := html[pos+q:]
		if !strings.HasPrefix(rest, `">@`) {
			continue
		}
		c := strings.Index(rest, markerClose)
		if c < 0 {
			return
		}
		written := rest[3:c]
		if !nameOnly(key) || len(written) != len(key) || !strings.EqualFold(written, key) {
			continue
		}
		end := pos + q + c + len(markerClose)
		fn(start, end, key, written)
		pos = end
	}
}

// nameOnly reports whether s could be a username: what a marker's key and text must be.
func nameOnly(s string) bool {
	if len(s) < mentionMin || len(s) > mentionMax {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

// MentionKeys returns the lowercased names marked in html by Render, each once.
func MentionKeys(html string) []string {
	var out []string
	markers(html, func(_, _ int, key, _ string) {
		if !slices.Contains(out, key) {
			out = append(out, key)
		}
	})
	return out
}

// LinkMentions turns each marked @name whose key is in members (key → username) into a link
// to href(username); names of no member stay plain text. html must come from Render.
func LinkMentions(html string, members map[string]string, href func(username string) string) string {
	if len(members) == 0 {
		return html
	}
	var b strings.Builder
	last := 0
	markers(html, func(start, end int, key, written string) {
		username, ok := members[key]
		if !ok {
			return
		}
		if b.Len() == 0 {
			b.Grow(len(html) + 64)
		}
		b.WriteString(html[last:start])
		b.WriteString(`<a href="` + href(username) + `" class="mention">@` + written + `</a>`)
		last = end
	})
	if last == 0 {
		return html
	}
	b.WriteString(html[last:])
	return b.String()
}
