package migrations_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// owners says which package owns each table: only it may name the table in SQL, for reads as
// well as writes, so a schema change has one place to look. Every table the migrations create
// must be here.
var owners = map[string]string{
	"members": "accounts", "sessions": "accounts", "recovery_codes": "accounts",
	"groups": "forum", "group_members": "forum", "join_requests": "forum", "group_invites": "forum",
	"topics": "forum", "posts": "forum", "post_revisions": "forum", "reactions": "forum",
	"member_mutes": "forum", "hidden_warnings": "forum", "notifications": "forum",
	"notification_optouts": "forum", "search_posts": "forum", "member_profiles": "forum", "bookmarks": "forum",
	"topic_reaction_days": "forum", // counts kept on write, never who
	"topic_follows":       "forum", "reply_follow_optouts": "forum", "notifications_seen": "forum",
	"notifications_new": "forum", // only while the followed_reply migration rebuilds notifications on SQLite
	"moderation_log":    "moderation", "queue_items": "moderation", "reports": "moderation", "appeals": "moderation",
	"group_sanctions": "moderation", "suspensions": "moderation", "watched_words": "moderation",
	"activity_events": "privacy", "consents": "privacy", "consent_records": "privacy", "privacy_settings": "privacy",
	"not_interested": "privacy", // what a member said about suggestions, shown on their dashboard
	"read_positions": "privacy", // where a member stopped reading, under reading history
	"site_settings":  "site", "throttle_hits": "throttle", "job_leases": "jobs", "erasures": "erasures",
}

// allowed are the places that may name another package's table, each with why: a file and a
// table, or a folder ending in "/" for every table.
var allowed = map[string]string{
	// The demo is a generator for empty development and load-test databases, never a live
	// site: it writes through the services, then backdates their rows and bulk-loads
	// thousands of posts in one statement, which no domain should offer as a function.
	"internal/demo/": "development data generator",
	// Community insights count, in one statement, the consented opens (privacy's rows) of a
	// group's live topics by members who also replied visibly that week. Split by owner, every
	// topic id and reply author of a group would pass through Go for each chart, and the
	// consent check and the forum's filters must meet in the database for the k-anonymity
	// threshold to rest on one consistent reading.
	"internal/privacy/insights.go topics": "aggregate join with the consent gate",
	"internal/privacy/insights.go posts":  "aggregate join with the consent gate",
	// Unread markers count, in one statement for a whole list, the posts after each of the
	// member's read positions (privacy's rows), only while their consent is on: split by owner,
	// every position would pass through Go and back, and the count would cost a query per topic.
	// Which posts count is the forum's rule (forum.ReadablePost); a topic never opened is new as a
	// whole, by its reply count, so its posts are not counted one by one on every list.
	"internal/privacy/reading.go posts":  "unread counts joined with the consent gate",
	"internal/privacy/reading.go topics": "unread counts joined with the consent gate",
}

var (
	createTable = regexp.MustCompile(`(?i)CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_]+)`)
	// SQL keywords are written in capitals here, which keeps English in messages out.
	tableWord = regexp.MustCompile(`\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)\b`)
)

func TestEveryTableHasAnOwner(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range createTable.FindAllStringSubmatch(string(b), -1) {
			if strings.HasPrefix(m[1], "search_posts_") { // FTS5's own shadow tables
				continue
			}
			if _, ok := owners[m[1]]; !ok {
				t.Errorf("%s creates table %s, which has no owner in owners", f, m[1])
			}
		}
	}
}

// TestSQLNamesOnlyItsOwnTables reads every string literal in the program's Go code (tests
// excluded: they set up rows directly) and fails when one names a table another package owns.
func TestSQLNamesOnlyItsOwnTables(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	var found []string
	for _, root := range []string{"../internal", "../web", "../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			pkg := packageOf(path)
			for _, ref := range tableRefs(t, path) {
				owner := owners[ref.table]
				if owner == "" || owner == pkg {
					continue
				}
				file := filepath.ToSlash(strings.TrimPrefix(path, "../"))
				key := file + " " + ref.table
				if k, ok := allowance(file, key); ok {
					used[k] = true
					continue
				}
				found = append(found, key+" (line "+strconv.Itoa(ref.line)+", owned by "+owner+")")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("%s: ask the owning package through a function", f)
	}
	for key := range allowed {
		if !used[key] {
			t.Errorf("allowed %q is no longer needed: take it off the list", key)
		}
	}
}

func allowance(file, key string) (string, bool) {
	if _, ok := allowed[key]; ok {
		return key, true
	}
	for k := range allowed {
		if strings.HasSuffix(k, "/") && strings.HasPrefix(file, k) {
			return k, true
		}
	}
	return "", false
}

// packageOf is the domain a file belongs to: internal/<domain>/..., or web and cmd, which own no table.
func packageOf(path string) string {
	parts := strings.Split(filepath.ToSlash(path), "/")
	if len(parts) > 2 && parts[1] == "internal" {
		return parts[2]
	}
	return parts[1]
}

type tableRef struct {
	table string
	line  int
}

func tableRefs(t *testing.T, path string) []tableRef {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []tableRef
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok { // gorm's db.Table("members m")
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Table" && len(call.Args) > 0 {
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && len(strings.Fields(s)) > 0 {
						out = append(out, tableRef{strings.Fields(s)[0], fset.Position(lit.Pos()).Line})
					}
				}
			}
		}
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return true
		}
		for _, m := range tableWord.FindAllStringSubmatch(s, -1) {
			out = append(out, tableRef{m[1], fset.Position(lit.Pos()).Line})
		}
		return true
	})
	return out
}
