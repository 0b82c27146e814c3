package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// seeder writes the demo through the services, as its members would, in three steps: plan
// every post and reaction (deterministically), publish them in the order of their planned
// times, then move the timestamps back to the planned times, spread over the last 60 days.
type seeder struct {
	db        *gorm.DB
	accounts  *accounts.Service
	forum     *forum.Forum
	rng       *rand.Rand
	members   map[string]accounts.Member
	posts     []plannedPost
	topics    int
	reactions int
}

// plannedPost is a topic's first post (first == its own index) or a reply.
type plannedPost struct {
	group     *groupSpec
	topic     *topicSpec
	first     int // index in posts of the topic's first post
	author    string
	anonymous bool
	body      string
	quoteOf   int // index in posts, or -1
	quotable  bool
	at        time.Time
	lastAt    time.Time // on first posts: the thread's last post
	reactions []plannedReaction
	id        int64
	topicID   int64
}

type plannedReaction struct {
	by, kind string
	at       time.Time
}

func newSeeder(db *gorm.DB) *seeder {
	settings := site.NewSettings(db)
	f := forum.New(db, settings, forum.NewInbox(db))
	moderation.NewService(db, f) // a crisis phrase in a post goes to the queue
	return &seeder{
		db:       db,
		accounts: accounts.NewService(db),
		forum:    f,
		rng:      rand.New(rand.NewPCG(2024, 11)), // the same demo every time
		members:  map[string]accounts.Member{},
	}
}

func (s *seeder) run(ctx context.Context) error {
	now := time.Now().UTC()
	s.plan(now)
	if err := s.createMembers(ctx); err != nil {
		return err
	}
	if err := s.createGroups(ctx); err != nil {
		return err
	}
	order := make([]int, len(s.posts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return s.posts[a].at.Compare(s.posts[b].at) })
	for _, i := range order {
		if err := s.publish(ctx, i); err != nil {
			return err
		}
	}
	for i := range s.posts {
		for _, r := range s.posts[i].reactions {
			if _, err := s.forum.Posts.React(s.as(ctx, r.by), s.posts[i].id, r.kind); err != nil {
				return fmt.Errorf("demo: unable to react: %w", err)
			}
			s.reactions++
		}
	}
	return s.backdate(ctx, now)
}

// as is ctx signed in as the demo member called name.
func (s *seeder) as(ctx context.Context, name string) context.Context {
	return accounts.WithViewer(ctx, accounts.Viewer{Member: s.members[name]})
}

func (s *seeder) createMembers(ctx context.Context) error {
	add := func(name, role string) error {
		m, err := s.accounts.Create(ctx, name, Password, role)
		if err != nil {
			return fmt.Errorf("demo: unable to create %s: %w", name, err)
		}
		s.members[name] = m
		return nil
	}
	if err := add(Admin, accounts.RoleAdmin); err != nil {
		return err
	}
	if err := add(Moderator, accounts.RoleMember); err != nil {
		return err
	}
	for _, name := range demoMembers {
		if err := add(name, accounts.RoleMember); err != nil {
			return err
		}
	}
	return nil
}

// createGroups makes the groups as the admin, appoints the moderator, and lets the members in:
// public groups they join; the private group by the moderator's invite link, with one member's
// request still waiting for the moderator to answer.
func (s *seeder) createGroups(ctx context.Context) error {
	admin := s.as(ctx, Admin)
	for _, g := range demoGroups {
		vis := forum.Public
		if g.private {
			vis = forum.Private
		}
		in := forum.GroupInput{Name: g.name, Slug: g.slug, Description: g.description, Rules: g.rules, Visibility: vis, AllowAnonymous: g.anonymous}
		if _, err := s.forum.Groups.CreateGroup(admin, in); err != nil {
			return fmt.Errorf("demo: unable to create group %s: %w", g.slug, err)
		}
		var err error
		if g.staff == Moderator {
			err = s.forum.Groups.SetModerator(admin, g.slug, Moderator, true)
		} else {
			err = s.forum.Groups.Join(admin, g.slug)
		}
		if err != nil {
			return fmt.Errorf("demo: unable to staff group %s: %w", g.slug, err)
		}
		if err := s.addMembers(ctx, g); err != nil {
			return fmt.Errorf("demo: unable to fill group %s: %w", g.slug, err)
		}
	}
	return nil
}

func (s *seeder) addMembers(ctx context.Context, g *groupSpec) error {
	if !g.private {
		for _, name := range g.members {
			if err := s.forum.Groups.Join(s.as(ctx, name), g.slug); err != nil {
				return err
			}
		}
		return nil
	}
	token, err := s.forum.Groups.CreateInvite(s.as(ctx, Moderator), g.slug)
	if err != nil {
		return err
	}
	for _, name := range g.members {
		if _, err := s.forum.Groups.AcceptInvite(s.as(ctx, name), token); err != nil {
			return err
		}
	}
	return s.forum.Groups.RequestToJoin(s.as(ctx, "quiet_river"), g.slug,
		"A friend from another group told me about this one. We lost our daughter at 22 weeks last spring. Thank you for reading this.")
}

func (s *seeder) publish(ctx context.Context, i int) error {
	p := &s.posts[i]
	author := s.as(ctx, p.author)
	in := forum.PostInput{Body: p.body, Anonymous: p.anonymous, CrisisAck: p.topic.crisis && p.first == i}
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		if p.first == i {
			in.Title, in.ContentWarning = p.topic.title, p.topic.warning
			p.topicID, err = s.forum.Posts.CreateTopic(author, p.group.slug, in)
			if err == nil {
				err = s.db.WithContext(ctx).Raw(`SELECT MIN(id) FROM posts WHERE topic_id = ?`, p.topicID).Scan(&p.id).Error
			}
		} else {
			p.topicID = s.posts[p.first].topicID
			if p.quoteOf >= 0 {
				in.QuoteOf = s.posts[p.quoteOf].id
			}
			p.id, err = s.forum.Posts.Reply(author, p.topicID, in)
		}
		// An admin's own crisis phrases may match demo text: publish it as a member who saw
		// the crisis resources would.
		if !errors.Is(err, forum.ErrCrisisCheck) {
			break
		}
		in.CrisisAck = true
	}
	if err != nil {
		return fmt.Errorf("demo: unable to post in %s: %w", p.group.slug, err)
	}
	return nil
}

// backdate moves every demo timestamp from the moment of seeding to its planned time, so
// the forum reads as two months of activity. It runs after the services wrote "now".
func (s *seeder) backdate(ctx context.Context, now time.Time) error {
	start := now.Add(-demoSpan)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range s.posts {
			p := &s.posts[i]
			if err := tx.Exec(`UPDATE posts SET created_at = ? WHERE id = ?`, p.at, p.id).Error; err != nil {
				return err
			}
			if p.first == i {
				err := tx.Exec(`UPDATE topics SET created_at = ?, last_post_at = ?, pinned = ? WHERE id = ?`, p.at, p.lastAt, p.topic.welcome, p.topicID).Error
				if err != nil {
					return err
				}
			}
			for _, r := range p.reactions {
				err := tx.Exec(`UPDATE reactions SET created_at = ? WHERE post_id = ? AND member_id = ? AND kind = ?`,
					r.at, p.id, s.members[r.by].ID, r.kind).Error
				if err != nil {
					return err
				}
			}
		}
		stmts := []struct {
			sql  string
			args []any
		}{
			{`UPDATE notifications SET created_at = (SELECT p.created_at FROM posts p WHERE p.id = notifications.post_id) WHERE post_id IS NOT NULL`, nil},
			{`UPDATE groups SET created_at = ?`, []any{start.Add(-72 * time.Hour)}},
			{`UPDATE group_members SET joined_at = ?`, []any{start.Add(-48 * time.Hour)}},
			{`UPDATE join_requests SET created_at = ?`, []any{now.Add(-30 * time.Hour)}},
		}
		for _, st := range stmts {
			if err := tx.Exec(st.sql, st.args...).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// firstSentence is the start of a post, for quoting it: up to the first full stop, question
// mark or line break, after any quote the post itself begins with.
func firstSentence(body string) string {
	line := ""
	for l := range strings.Lines(body) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, ">") {
			line = l
			break
		}
	}
	for i, r := range line {
		if (r == '.' || r == '?' || r == '!') && i > 20 {
			return line[:i+1]
		}
	}
	return line
}
