// Package static embeds Haven's own stylesheet and scripts and serves them under names that
// carry a hash of their content, so they can be cached for a year and never go stale.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"

	"github.com/andybalholm/brotli"
)

//go:embed css
var files embed.FS

// Favicon is the site's icon, served at /favicon.ico where browsers look for it.
//
//go:embed favicon.ico
var Favicon []byte

// Asset is one embedded file under its hashed name, with its compressed forms made once at start.
// Only these static files are compressed, never pages: a page carries the member's CSRF token,
// and compressing secrets beside text an attacker can choose is what BREACH reads.
type Asset struct {
	Body        []byte
	Gzip        []byte
	Brotli      []byte
	ContentType string
}

// Assets maps logical names ("css/haven.css") to hashed URL paths and back.
type Assets struct {
	paths  map[string]string // logical → /static/css/haven.<hash>.css
	byPath map[string]Asset  // hashed URL path → content
}

// Load hashes every embedded file.
func Load() (*Assets, error) {
	a := &Assets{paths: map[string]string{}, byPath: map[string]Asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		a.paths[name] = hashed
		as := Asset{Body: body, ContentType: contentType(ext)}
		if as.Gzip, err = compress(body, func(w *bytes.Buffer) (flushCloser, error) { return gzip.NewWriterLevel(w, gzip.BestCompression) }); err != nil {
			return err
		}
		if as.Brotli, err = compress(body, func(w *bytes.Buffer) (flushCloser, error) {
			return brotli.NewWriterLevel(w, brotli.BestCompression), nil
		}); err != nil {
			return err
		}
		a.byPath[hashed] = as
		return nil
	})
	return a, err
}

type flushCloser interface {
	Write([]byte) (int, error)
	Close() error
}

func compress(body []byte, newWriter func(*bytes.Buffer) (flushCloser, error)) ([]byte, error) {
	var buf bytes.Buffer
	w, err := newWriter(&buf)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Path returns the URL path for a logical name, or "" if there is no such asset.
func (a *Assets) Path(name string) string { return a.paths[name] }

// Lookup returns the asset served at a hashed URL path.
func (a *Assets) Lookup(urlPath string) (Asset, bool) {
	as, ok := a.byPath[urlPath]
	return as, ok
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}
