package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// Generated sign-ins: one password for every generated account, hashed once.
const (
	GenAdmin    = "gen_admin"
	GenPassword = "haven-generated-password"
)

// Limits on what Generate is asked for.
const (
	GenMax              = 10_000_000 // members or topics
	GenPostsPerTopicMax = 100_000
)

// genSpan is how far back generated activity reaches.
const genSpan = 365 * 24 * time.Hour

// batchPosts is about how many posts one transaction writes.
const batchPosts = 5000

// ErrNotEmpty means Generate was pointed at a database that already has groups (or gen_admin,
// from a run that stopped part-way).
var ErrNotEmpty = errors.New("demo: the database already has groups; gen fills only an empty database, so that a seed always gives the same data")

// GenOptions sizes a generated database. PostsPerTopic counts each topic's first post, so a
// topic's reply_count is PostsPerTopic-1.
type GenOptions struct {
	Members, Topics, PostsPerTopic int
	Events                         int // consented topic opens, for every other member
	Seed                           int64
}

// Validate returns an EINVALID error naming each option that is out of range.
func (o GenOptions) Validate() error {
	f := map[string]string{}
	check := func(name string, v, most int) {
		if v < 1 || v > most {
			f[name] = fmt.Sprintf("must be a whole number from 1 to %d (got %d)", most, v)
		}
	}
	check("members", o.Members, GenMax)
	check("topics", o.Topics, GenMax)
	check("posts-per-topic", o.PostsPerTopic, GenPostsPerTopicMax)
	if o.Events < 0 || o.Events > GenMax {
		f["events"] = fmt.Sprintf("must be a whole number from 0 to %d (got %d)", GenMax, o.Events)
	}
	if len(f) > 0 {
		return apperr.Invalid(f)
	}
	return nil
}

// generator writes rows in bulk, in transactions of about batchPosts posts. Everything it
// writes (names, text, who posts where, the order of events) comes from one random stream
// seeded with o.Seed; only the timestamps move with the clock: they end at the moment of the run.
type generator struct {
	db          *gorm.DB
	o           GenOptions
	rng         *rand.Rand
	out         io.Writer
	began, end  time.Time
	hash        string // gen_admin's password hash, shared by every generated member
	firstMember int64  // the id of member00001; the others follow in order
	groups      []genGroup
	memberships int
	reactions   int
	searchTable bool
}

type genGroup struct {
	id        int64
	anonymous bool
	members   []int32 // generated members by number from 0
}

// Generate fills an empty database deterministically for benchmarks: o.Members members
// (member00001, …) and gen_admin, max(5, topics/500) groups, o.Topics topics of
// o.PostsPerTopic posts, some reactions, and the search index. It prints progress to out.
func Generate(ctx context.Context, db *gorm.DB, o GenOptions, out io.Writer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	var n int64
	err := db.WithContext(ctx).Raw(`SELECT (SELECT COUNT(*) FROM groups) + (SELECT COUNT(*) FROM members WHERE username_key = ?)`, GenAdmin).Scan(&n).Error
	if err != nil {
		return fmt.Errorf("demo: unable to look for content: %w", err)
	}
	if n > 0 {
		return ErrNotEmpty
	}
	now := time.Now().UTC()
	g := &generator{db: db, o: o, out: out, began: now, end: now.Truncate(time.Second),
		rng: rand.New(rand.NewPCG(uint64(o.Seed), 0x68617665_6e67656e))} // "havengen"
	fmt.Fprintf(out, "Generating %d members and %d topics of %d posts each (seed %d) on %s.\n",
		o.Members, o.Topics, o.PostsPerTopic, o.Seed, database.Dialect(db))
	for _, step := range []func(context.Context) error{g.createAdmin, g.createMembers, g.createGroups, g.createTopics, g.createActivity, g.count} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Generated %d members, %d groups, %d topics, %d posts and %d reactions in %s.\n",
		o.Members, len(g.groups), o.Topics, o.Topics*o.PostsPerTopic, g.reactions, g.elapsed())
	if !g.searchTable {
		fmt.Fprintln(out, "There is no search index table (search_posts), so none was filled.")
	}
	fmt.Fprintf(out, "Sign in as %s (site admin) or %s to %s, all with the password %q.\n",
		GenAdmin, g.username(0), g.username(o.Members-1), GenPassword)
	return nil
}

// count stores the counts the forum keeps on write, for the rows written here in bulk.
func (g *generator) count(ctx context.Context) error {
	_, err := forum.New(g.db, site.NewSettings(g.db), nil).Check(ctx)
	return err
}

func (g *generator) elapsed() time.Duration { return time.Since(g.began).Round(100 * time.Millisecond) }

func (g *generator) memberID(m int32) int64 { return g.firstMember + int64(m) }

func (g *generator) username(i int) string {
	return fmt.Sprintf("member%0*d", max(5, len(fmt.Sprint(g.o.Members))), i+1)
}

// createAdmin makes gen_admin through accounts, the one argon2 hash of the run, and keeps the
// hash for every generated member.
func (g *generator) createAdmin(ctx context.Context) error {
	m, err := accounts.NewService(g.db).Create(ctx, GenAdmin, GenPassword, accounts.RoleAdmin)
	if err != nil {
		return fmt.Errorf("demo: unable to create %s: %w", GenAdmin, err)
	}
	if err := g.db.WithContext(ctx).Raw(`SELECT password_hash FROM members WHERE id = ?`, m.ID).Scan(&g.hash).Error; err != nil {
		return fmt.Errorf("demo: unable to read %s: %w", GenAdmin, err)
	}
	return nil
}

// createMembers writes the members without recovery codes (nobody will recover them).
func (g *generator) createMembers(ctx context.Context) error {
	first, err := reserveIDs(ctx, g.db, "members", g.o.Members)
	if err != nil {
		return err
	}
	g.firstMember = first
	buf := newRowBuffer("members", "id", "username", "username_key", "password_hash", "role", "created_at", "password_changed_at")
	joined := g.end.Add(-genSpan - 30*24*time.Hour)
	for i := range g.o.Members {
		name := g.username(i)
		at := joined.Add(time.Duration(i) * time.Second)
		buf.add(g.memberID(int32(i)), name, name, g.hash, accounts.RoleMember, at, at)
		if buf.len() == batchPosts {
			if err := g.writeRows(ctx, buf); err != nil {
				return err
			}
		}
	}
	if err := g.writeRows(ctx, buf); err != nil {
		return err
	}
	fmt.Fprintf(g.out, "  %d members (%s)\n", g.o.Members, g.elapsed())
	return nil
}

// genThemes name generated groups; past the list, names repeat with a number.
var genThemes = []string{
	"Anxiety", "Depression", "Grief", "Recovery", "Chronic Pain", "Caregivers", "Loneliness", "Parenting",
	"Burnout", "Sleep", "Bipolar", "OCD", "Trauma", "Separation", "Infertility", "Long Illness",
	"Men's Circle", "LGBTQ+ Support", "Students", "New Parents", "Living Alone", "Migraine", "Diabetes", "Eating Disorders",
}

// createGroups writes max(5, topics/500) groups, one in six private and one in three
// allowing anonymous posts, and their members.
func (g *generator) createGroups(ctx context.Context) error {
	n := max(5, g.o.Topics/500)
	first, err := reserveIDs(ctx, g.db, "groups", n)
	if err != nil {
		return err
	}
	groups := newRowBuffer("groups", "id", "slug", "name", "description", "rules", "visibility", "allow_anonymous", "created_at")
	created := g.end.Add(-genSpan - 31*24*time.Hour)
	g.groups = make([]genGroup, n)
	private, anonymous := 0, 0
	for i := range g.groups {
		gr := &g.groups[i]
		gr.id, gr.anonymous = first+int64(i), i%3 == 1
		theme := genThemes[i%len(genThemes)]
		name := theme
		if i >= len(genThemes) {
			name = fmt.Sprintf("%s %d", theme, i/len(genThemes)+1)
		}
		vis := forum.Public
		if i%6 == 5 {
			vis = forum.Private
			private++
		}
		if gr.anonymous {
			anonymous++
		}
		groups.add(gr.id, slugFor(name), name, "A generated support group about "+strings.ToLower(theme)+".",
			"- **Be kind.**\n- **Use content warnings.**\n- **Share experience, not prescriptions.**", vis, gr.anonymous, created)
	}
	if err := g.writeRows(ctx, groups); err != nil {
		return err
	}
	g.joinGroups()
	gm := newRowBuffer("group_members", "group_id", "member_id", "role", "joined_at")
	for _, gr := range g.groups {
		for k, m := range gr.members {
			role := forum.RoleMember
			if k == 0 {
				role = forum.RoleModerator
			}
			gm.add(gr.id, g.memberID(m), role, created.Add(24*time.Hour))
			if gm.len() == batchPosts {
				if err := g.writeRows(ctx, gm); err != nil {
					return err
				}
			}
		}
		g.memberships += len(gr.members)
	}
	if err := g.writeRows(ctx, gm); err != nil {
		return err
	}
	fmt.Fprintf(g.out, "  %d groups (%d private, %d allowing anonymous posts), %d memberships (%s)\n",
		n, private, anonymous, g.memberships, g.elapsed())
	return nil
}

// joinGroups puts every member in one to three groups, and someone in every group; each
// group's first member moderates it.
func (g *generator) joinGroups() {
	for gi := range g.groups { // member gi%M is in group gi
		g.groups[gi].members = append(g.groups[gi].members, int32(gi%g.o.Members))
	}
	for m := range g.o.Members {
		var mine []int
		for k := g.rng.IntN(3); k >= 0; k-- {
			gi := g.rng.IntN(len(g.groups))
			if gi%g.o.Members != m && !slices.Contains(mine, gi) {
				mine = append(mine, gi)
				g.groups[gi].members = append(g.groups[gi].members, int32(m))
			}
		}
	}
}

// writeRows writes the buffers' rows, in order, in one transaction.
func (g *generator) writeRows(ctx context.Context, bufs ...*rowBuffer) error {
	return g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, b := range bufs {
			if err := b.flush(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	})
}

func slugFor(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}
