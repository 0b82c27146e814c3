package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	privacyview "github.com/haven-forum/haven/views/privacy"
)

// readableTree reads a JSON document into a tree the HTML views show, in the document's own
// order, with keys made readable ("created_at" → "Created at"). The HTML views of the export and
// of receipts are built from the very JSON they offer for download, so the two never differ.
func readableTree(r io.Reader) (privacyview.Node, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return readNode(dec, "")
}

func readNode(dec *json.Decoder, key string) (privacyview.Node, error) {
	n := privacyview.Node{Key: readableKey(key)}
	tok, err := dec.Token()
	if err != nil {
		return n, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n.List = t == '['
		for dec.More() {
			childKey := ""
			if !n.List {
				k, err := dec.Token()
				if err != nil {
					return n, err
				}
				childKey = fmt.Sprint(k)
			}
			child, err := readNode(dec, childKey)
			if err != nil {
				return n, err
			}
			n.Children = append(n.Children, child)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return n, err
		}
		n.Empty = len(n.Children) == 0
	case nil:
		n.Value = "none"
	case bool:
		n.Value = map[bool]string{true: "yes", false: "no"}[t]
	case json.Number:
		n.Value = t.String()
		if secs, err := t.Int64(); err == nil && strings.Contains(strings.ToLower(key), "timestamp") {
			n.At = time.Unix(secs, 0) // receipts count seconds
		}
	case string:
		n.Value = t
		if at, err := time.Parse(time.RFC3339, t); err == nil {
			n.At = at
		}
	default:
		n.Value = fmt.Sprint(t)
	}
	return n, nil
}

// readableKey turns "created_at" or "createdAt" into "Created at", "consentReceiptID" into
// "Consent receipt ID".
func readableKey(k string) string {
	var words []string
	var w []rune
	flush := func() {
		if len(w) > 0 {
			words = append(words, string(w))
			w = w[:0]
		}
	}
	for _, r := range k {
		switch {
		case r == '_' || r == '-' || r == ' ':
			flush()
		case unicode.IsUpper(r) && len(w) > 0 && !unicode.IsUpper(w[len(w)-1]):
			flush()
			w = append(w, r)
		default:
			w = append(w, r)
		}
	}
	flush()
	for i, word := range words {
		if len(word) < 2 || strings.ToUpper(word) != word { // keep acronyms like ID
			words[i] = strings.ToLower(word)
		}
	}
	s := strings.Join(words, " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// jsonTree is readableTree for a value the server already holds.
func jsonTree(v any) (privacyview.Node, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return privacyview.Node{}, err
	}
	return readableTree(bytes.NewReader(b))
}
