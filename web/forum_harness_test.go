package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
)

// admin returns a browser signed in as a new site admin.
func (a *app) admin(name string) *client {
	a.t.Helper()
	if _, err := a.accts.Create(context.Background(), name, goodPassword, accounts.RoleAdmin); err != nil {
		a.t.Fatal(err)
	}
	c := a.client()
	if p := c.logIn(name, goodPassword); p.status != http.StatusSeeOther {
		a.t.Fatalf("admin log-in: %d", p.status)
	}
	return c
}

// member returns a browser signed in as a new member.
func (a *app) member(name string) *client {
	a.t.Helper()
	c := a.client()
	c.signUp(name)
	return c
}

func (c *client) createGroup(name, slug, visibility string, anonymous bool) {
	c.t.Helper()
	anon := ""
	if anonymous {
		anon = "1"
	}
	p := c.post("/admin/groups", "name", name, "slug", slug, "description", "About "+name, "rules", "Be kind.",
		"visibility", visibility, "allow_anonymous", anon)
	if p.status != http.StatusSeeOther {
		c.t.Fatalf("create group %s: %d\n%s", slug, p.status, p.body)
	}
}

func (c *client) join(slug string) {
	c.t.Helper()
	if p := c.post("/g/" + slug + "/join"); p.status != http.StatusSeeOther {
		c.t.Fatalf("join %s: %d\n%s", slug, p.status, p.body)
	}
}

var topicLocation = regexp.MustCompile(`^/t/(\d+)$`)
var postLocation = regexp.MustCompile(`^/p/(\d+)$`)

// newTopic starts a topic and returns its id.
func (c *client) newTopic(slug, title, body string, fields ...string) int64 {
	c.t.Helper()
	p := c.post("/g/"+slug+"/topics", append([]string{"title", title, "body", body, "_submit", randomKey()}, fields...)...)
	m := topicLocation.FindStringSubmatch(p.location())
	if p.status != http.StatusSeeOther || m == nil {
		c.t.Fatalf("new topic in %s: %d %q\n%s", slug, p.status, p.location(), p.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// reply posts a reply and returns the new post's id.
func (c *client) reply(topicID int64, body string, fields ...string) int64 {
	c.t.Helper()
	p := c.post(fmt.Sprintf("/t/%d/replies", topicID), append([]string{"body", body, "_submit", randomKey()}, fields...)...)
	m := postLocation.FindStringSubmatch(p.location())
	if p.status != http.StatusSeeOther || m == nil {
		c.t.Fatalf("reply to %d: %d %q\n%s", topicID, p.status, p.location(), p.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

var keyCounter atomic.Int64

func randomKey() string {
	return fmt.Sprintf("k%d", keyCounter.Add(1))
}

// firstPostID returns the id of a topic's first post.
func (a *app) firstPostID(topicID int64) int64 {
	var id int64
	a.db.Raw(`SELECT MIN(id) FROM posts WHERE topic_id = ?`, topicID).Scan(&id)
	return id
}

func assertStatus(t *testing.T, p page, want int, what string) {
	t.Helper()
	if p.status != want {
		t.Errorf("%s: status %d, want %d", what, p.status, want)
	}
}

var regexp_username = regexp.MustCompile(`<dt>Username</dt><dd>([^<]+)</dd>`)
