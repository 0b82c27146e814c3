// Package markdown turns what members write into safe HTML: no raw HTML, no script, no
// resource from another origin (an image becomes a plain link), and links marked as user content.
package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Version names what Render produces; raise it with any change to its output, and the HTML
// stored beside each post is rendered again.
const Version = 2 // 2: @names marked for LinkMentions

var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(imagesToLinks{}, 100), util.Prioritized(mentions{}, 200))),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(mentionRenderer{}, 500))),
	// goldmark escapes raw HTML by default (no html.WithUnsafe), and bluemonday checks again.
)

var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("rel").OnElements("a")
	p.AllowElements("details", "summary")
	// Render's own @name markers; a member's raw HTML never reaches here (goldmark escapes it).
	p.AllowAttrs("data-mention").Matching(regexp.MustCompile(`^[a-z0-9_-]{3,30}$`)).OnElements("span")
	// No element may load anything: strip every image, media and embed outright.
	p.SkipElementsContent("img", "picture", "video", "audio", "iframe", "object", "embed", "source")
	return p
}()

var relAttr = regexp.MustCompile(`<a ([^>]*?)rel="[^"]*"`)

// Render returns sanitized HTML for src. Malformed Markdown renders as text; it never fails.
func Render(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		buf.Reset()
		buf.WriteString("<p>" + bluemonday.StrictPolicy().Sanitize(src) + "</p>")
	}
	out := policy.Sanitize(buf.String())
	return relAttr.ReplaceAllString(out, `<a ${1}rel="nofollow ugc noopener noreferrer"`)
}

// imagesToLinks replaces every image with a link to it, so no page ever fetches a resource
// that a member pointed at.
type imagesToLinks struct{}

func (imagesToLinks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var images []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			images = append(images, img)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination = img.Destination
		link.Title = img.Title
		label := "image"
		if alt := altText(img, reader.Source()); alt != "" {
			label = "image: " + alt
		}
		link.AppendChild(link, ast.NewString([]byte(label)))
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}

func altText(n ast.Node, source []byte) string {
	var b bytes.Buffer
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(source))
		} else {
			b.WriteString(altText(c, source))
		}
	}
	return b.String()
}

// prose parses without the image rewrite, so an image's alt text still counts as what was written.
var prose = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

// Prose returns the member's own words in src: text outside code spans and blocks, block quotes
// (someone else's words), autolinks and raw HTML, each run of text separated by a space.
func Prose(src string) string {
	b := []byte(src)
	var out strings.Builder
	last := -1
	_ = ast.Walk(prose.Parse(text.NewReader(b)), func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := node.(type) {
		case *ast.CodeSpan, *ast.Blockquote, *ast.AutoLink, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if t.Segment.Start != last { // not the continuation of the same run of text
				out.WriteByte(' ')
			}
			out.Write(t.Segment.Value(b))
			last = t.Segment.Stop
		}
		return ast.WalkContinue, nil
	})
	return out.String()
}
