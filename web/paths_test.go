package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/web"
)

// Every URL the paths package builds, by name; the test below fails when a name is missing.
var built = map[string]string{
	"Home": paths.Home, "Crisis": paths.Crisis, "Privacy": paths.Privacy, "PrivacyPolicy": paths.PrivacyPolicy,
	"PrivacyConsent": paths.PrivacyConsent, "PrivacyErase": paths.PrivacyErase, "PrivacyRetention": paths.PrivacyRetention,
	"PrivacyActivity": paths.PrivacyActivity, "PrivacyExport": paths.PrivacyExport, "Welcome": paths.Welcome,
	"SignUp": paths.SignUp, "SignUpCodes": paths.SignUpCodes, "LogIn": paths.LogIn, "LogOut": paths.LogOut, "Recover": paths.Recover, "Account": paths.Account,
	"AccountPassword": paths.AccountPassword, "AccountLogOutEverywhere": paths.AccountLogOutEverywhere,
	"AccountRecoveryCodes": paths.AccountRecoveryCodes, "AccountMutes": paths.AccountMutes,
	"AccountHiddenWarnings": paths.AccountHiddenWarnings, "AccountTimeZone": paths.AccountTimeZone, "AccountDelete": paths.AccountDelete,
	"AccountModeration": paths.AccountModeration, "AccountFollowing": paths.AccountFollowing,
	"AccountFollowReplies": paths.AccountFollowReplies, "TopicFollow": paths.TopicFollow(1), "Groups": paths.Groups, "Search": paths.Search,
	"SuggestionsHow": paths.SuggestionsHow, "Notifications": paths.Notifications,
	"NotificationSettings": paths.NotificationSettings, "NotificationsClear": paths.NotificationsClear,
	"Mod": paths.Mod, "ModLog": paths.ModLog, "Admin": paths.Admin, "AdminGroups": paths.AdminGroups,
	"AdminSettings": paths.AdminSettings, "AdminWatchedWords": paths.AdminWatchedWords, "GPCStatement": paths.GPCStatement,

	"Page": paths.Page(paths.Mod, 2), "LogInThen": paths.LogInThen("/t/1"), "SignUpThen": paths.SignUpThen("/g/x"),
	"Group": paths.Group("g"), "GroupJoin": paths.GroupJoin("g"), "GroupLeave": paths.GroupLeave("g"),
	"GroupRequest": paths.GroupRequest("g"), "GroupRequestAnswer": paths.GroupRequestAnswer("g", 1),
	"GroupInvites": paths.GroupInvites("g"), "GroupInsights": paths.GroupInsights("g"),
	"GroupNewTopic": paths.GroupNewTopic("g"), "GroupTopics": paths.GroupTopics("g"), "Invite": paths.Invite("tok"),
	"Topic": paths.Topic(1), "TopicReplies": paths.TopicReplies(1), "Post": paths.Post(1), "PostEdit": paths.PostEdit(1),
	"PostDelete": paths.PostDelete(1), "PostReact": paths.PostReact(1), "PostRevisions": paths.PostRevisions(1),
	"PostReveal": paths.PostReveal(1), "PostReport": paths.PostReport(1), "NotInterested": paths.NotInterested(1),
	"ModPostHide": paths.ModPostHide(1), "ModPostUnhide": paths.ModPostUnhide(1), "ModPostDelete": paths.ModPostDelete(1),
	"ModPostApprove": paths.ModPostApprove(1), "ModPostEscalate": paths.ModPostEscalate(1),
	"ModTopicLock": paths.ModTopicLock(1), "ModTopicPin": paths.ModTopicPin(1), "ModTopicSlow": paths.ModTopicSlow(1),
	"ModTopicMove": paths.ModTopicMove(1), "ModReportDismiss": paths.ModReportDismiss(1),
	"ModMemberAction": paths.ModMemberAction("g", "someone", "warn"), "AccountAppeal": paths.AccountAppeal(1),
	"AdminGroup": paths.AdminGroup("g"), "AdminGroupArchive": paths.AdminGroupArchive("g"),
	"AdminGroupModerators": paths.AdminGroupModerators("g"), "AdminGroupHold": paths.AdminGroupHold("g"),
	"AdminWatchedWordDelete": paths.AdminWatchedWordDelete(1), "AdminSuspend": paths.AdminSuspend("someone"),
	"PrivacyActivityDelete": paths.PrivacyActivityDelete(1), "PrivacyInterestDelete": paths.PrivacyInterestDelete(1),
	"PrivacyNotInterestedDelete": paths.PrivacyNotInterestedDelete(1), "PrivacyReceipt": paths.PrivacyReceipt("r-1"),
	"PrivacyReceiptPage": paths.PrivacyReceiptPage("r-1"), "PrivacyEraseWhat": paths.PrivacyEraseWhat("reading_history"),
	"PrivacyExportPage": paths.PrivacyExportPage, "PrivacyActivityDeleteRange": paths.PrivacyActivityDeleteRange,
	"Profile": paths.Profile("someone"), "Bookmarks": paths.Bookmarks, "PostBookmark": paths.PostBookmark(1), "AccountProfile": paths.AccountProfile,
	"PrivacyReadPositionsDelete": paths.PrivacyReadPositionsDelete, "PrivacyReadPositionDelete": paths.PrivacyReadPositionDelete(1),
}

// Routes no page links to: probes, metrics and hashed assets.
var unlinked = map[string]bool{"/healthz": true, "/readyz": true, "/static/*": true, "/metrics": true, "/favicon.ico": true}

// The paths package and the router agree both ways: every URL paths builds is a registered route,
// and every registered page route has a paths name.
func TestPathsMatchRoutes(t *testing.T) {
	t.Parallel()
	exported := pathsNames(t)
	for name := range exported {
		if _, ok := built[name]; !ok {
			t.Errorf("paths.%s is not checked here: add it to built", name)
		}
	}
	patterns := routePatterns(web.New(web.Deps{SessionKey: []byte("test-session-key-0123456789abcdef")}))
	used := map[string]bool{}
	names := make([]string, 0, len(built))
	for name := range built {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		u, _, _ := strings.Cut(built[name], "?")
		matched := false
		for p, re := range patterns {
			if re.MatchString(u) {
				matched, used[p] = true, true
			}
		}
		if !matched {
			t.Errorf("paths.%s builds %q, which no route answers", name, built[name])
		}
	}
	for p := range patterns {
		if !used[p] {
			t.Errorf("route %s has no paths name: links to it would be written by hand", p)
		}
	}
}

// routePatterns is a pattern for each page route the server has, by its route.
func routePatterns(srv *web.Server) map[string]*regexp.Regexp {
	out := map[string]*regexp.Regexp{}
	param := regexp.MustCompile(`:[a-z]+`)
	for _, r := range srv.Routes() {
		if (r.Method != http.MethodGet && r.Method != http.MethodPost) || unlinked[r.Path] || strings.HasSuffix(r.Path, "/*") {
			continue
		}
		out[r.Path] = regexp.MustCompile(`^` + param.ReplaceAllString(regexp.QuoteMeta(r.Path), `[^/?]+`) + `$`)
	}
	return out
}

var linkAttr = regexp.MustCompile(`\s(?:href|action|formaction)="(/[^/"][^"]*|/)"`)

// Every link and form on the pages each role sees goes to a registered route: a URL written by
// hand in a template, or a route renamed without its links, fails here.
func TestEveryLinkOnPagesIsARoute(t *testing.T) {
	t.Parallel()
	w := newModWorld(t, dbtest.SQLite(t))
	patterns := routePatterns(w.a.web)
	topic := w.author.newTopic("support", "Links everywhere", "A post with @mw_r1 in it.")
	post := w.a.firstPostID(topic)
	w.r1.post(paths.PostReport(post), "reason", "spam")
	w.r1.post(paths.TopicReplies(topic), "body", "A reply.", "_submit", randomKey())
	w.admin.post(paths.AdminWatchedWords, "word", "casino", "action", "flag")
	w.author.post(paths.PostEdit(post), "title", "Links everywhere", "body", "Edited, with @mw_r1 still.")
	pages := map[*client][]string{
		w.a.client(): {paths.Home, paths.LogIn, paths.SignUp, paths.Recover, paths.Crisis, paths.PrivacyPolicy},
		w.author: {paths.Home, paths.Groups, paths.Group("support"), paths.Topic(topic), paths.PostEdit(post), paths.Notifications, paths.Account, paths.AccountDelete, paths.AccountModeration,
			paths.Privacy, paths.PrivacyActivity, paths.SuggestionsHow, paths.Search + "?q=links", paths.GroupNewTopic("support")},
		w.r1:    {paths.Notifications, paths.PostReport(post), paths.Welcome},
		w.mod:   {paths.Mod, paths.ModLog, paths.Topic(topic), paths.GroupInsights("support"), paths.PostRevisions(post)},
		w.admin: {paths.Admin, paths.AdminGroup("support"), paths.Topic(topic), paths.Mod},
	}
	links := 0
	for c, urls := range pages {
		for _, u := range urls {
			p := c.get(u)
			if p.status != http.StatusOK {
				t.Errorf("GET %s: %d", u, p.status)
				continue
			}
			for _, m := range linkAttr.FindAllStringSubmatch(p.body, -1) {
				link, _, _ := strings.Cut(strings.ReplaceAll(m[1], "&amp;", "&"), "#")
				link, _, _ = strings.Cut(link, "?")
				if strings.HasPrefix(link, "/static/") {
					continue
				}
				links++
				if !matchesAny(patterns, link) {
					t.Errorf("%s links to %s, which no route answers", u, m[1])
				}
			}
		}
	}
	if links < 100 {
		t.Errorf("only %d links found on the pages", links)
	}
}

func matchesAny(patterns map[string]*regexp.Regexp, u string) bool {
	for _, re := range patterns {
		if re.MatchString(u) {
			return true
		}
	}
	return false
}

// pathsNames reads the exported names of the paths package from its source files.
func pathsNames(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("../internal/paths/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var decls []ast.Decl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		decls = append(decls, f.Decls...)
	}
	out := map[string]bool{}
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.IsExported() {
				out[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if v, ok := s.(*ast.ValueSpec); ok {
					for _, n := range v.Names {
						if n.IsExported() {
							out[n.Name] = true
						}
					}
				}
			}
		}
	}
	if len(out) < 50 {
		t.Fatalf("only %d names read from paths.go", len(out))
	}
	return out
}

// No URL of a page is written by hand outside internal/paths and the route table: a string
// starting with a route's first segment, or a literal href or action, in any template or
// non-test Go file is one that would break silently when the route changes.
func TestNoURLWrittenByHand(t *testing.T) {
	t.Parallel()
	segments := map[string]bool{}
	for p := range routePatterns(web.New(web.Deps{SessionKey: []byte("test-session-key-0123456789abcdef")})) {
		if first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/"); first != "" {
			segments[regexp.QuoteMeta(first)] = true
		}
	}
	alts := make([]string, 0, len(segments))
	for s := range segments {
		alts = append(alts, s)
	}
	sort.Strings(alts)
	literal := regexp.MustCompile(`"/(?:` + strings.Join(alts, "|") + `)(?:[/"?#]|$)|\s(?:href|action|formaction)="/[^/]`)
	var files []string
	for _, pattern := range []string{"../web/*.go", "../views/*/*.templ", "../views/*/*.go", "../internal/*/*.go", "../cmd/*/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "_templ.go") || strings.HasSuffix(f, "web/routes.go") ||
			strings.Contains(f, "internal/paths/") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for i, line := range strings.Split(string(b), "\n") {
			if code, _, _ := strings.Cut(line, "// "); literal.MatchString(code) {
				t.Errorf("%s:%d builds a URL by hand; use internal/paths: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d files checked", checked)
	}
}
