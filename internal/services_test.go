// Package internal_test holds checks on the shape of every domain package under internal/.
package internal_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// maxMethods is the most methods a type may have, exported and unexported, counting those it
// gets from embedded types of its own package: past it, a service is too big to read.
const maxMethods = 40

// tooBig lists types allowed past maxMethods for now, with why.
var tooBig = map[string]string{}

func TestNoServiceIsTooBigToRead(t *testing.T) {
	t.Parallel()
	counts := map[string]int{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		files, err := sources(path)
		if err != nil {
			return err
		}
		for name, n := range methodCounts(files) {
			counts[filepath.ToSlash(path)+"."+name] = n
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts["forum.Service"] == 0 || counts["moderation.Service"] == 0 {
		t.Fatalf("the walk found no methods on forum.Service or moderation.Service: %v", counts)
	}
	var over []string
	for name, n := range counts {
		if n > maxMethods && tooBig[name] == "" {
			over = append(over, fmt.Sprintf("%s has %d methods", name, n))
		}
	}
	sort.Strings(over)
	if len(over) > 0 {
		t.Errorf("more than %d methods (split by area, as forum.Groups, forum.Service, forum.Reads, moderation.Records, privacy.Readers):\n%s", maxMethods, strings.Join(over, "\n"))
	}
	for name := range tooBig {
		if counts[name] <= maxMethods {
			t.Errorf("%s is on the allow-list but has %d methods: take it off", name, counts[name])
		}
	}
}

// TestMethodCountsEmbedded: a method reached through an embedded type counts for the type that
// embeds it, so embedding cannot hide a big service.
func TestMethodCountsEmbedded(t *testing.T) {
	t.Parallel()
	src := `package p
type core struct{}
func (core) a() {}
func (*core) b() {}
type Big struct { *core; name string }
func (b *Big) C() {}
type Named struct { c *core }
func (Named) D() {}
type plain int
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := methodCounts([]*ast.File{f})
	want := map[string]int{"core": 2, "Big": 3, "Named": 1}
	for name, n := range want {
		if got[name] != n {
			t.Errorf("%s: %d methods, want %d (all: %v)", name, got[name], n, got)
		}
	}
	if _, ok := got["plain"]; ok {
		t.Errorf("a type without methods is counted: %v", got)
	}
}

// sources parses a directory's non-test Go files.
func sources(dir string) ([]*ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// methodCounts returns, for each type of one package that has methods, how many it has:
// declared on it, plus those of the package's types it embeds.
func methodCounts(files []*ast.File) map[string]int {
	declared := map[string]int{}
	embeds := map[string][]string{}
	for _, f := range files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil && len(d.Recv.List) == 1 {
					declared[typeName(d.Recv.List[0].Type)]++
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, field := range st.Fields.List {
						if len(field.Names) == 0 {
							embeds[ts.Name.Name] = append(embeds[ts.Name.Name], typeName(field.Type))
						}
					}
				}
			}
		}
	}
	var count func(name string, seen map[string]bool) int
	count = func(name string, seen map[string]bool) int {
		if seen[name] {
			return 0
		}
		seen[name] = true
		n := declared[name]
		for _, e := range embeds[name] {
			n += count(e, seen)
		}
		return n
	}
	out := map[string]int{}
	for name := range declared {
		out[name] = count(name, map[string]bool{})
	}
	for name := range embeds {
		if n := count(name, map[string]bool{}); n > 0 {
			out[name] = n
		}
	}
	return out
}

// typeName is the local type a receiver or embedded field names ("" for another package's).
func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return typeName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr: // a generic receiver
		return typeName(t.X)
	case *ast.IndexListExpr:
		return typeName(t.X)
	}
	return ""
}
