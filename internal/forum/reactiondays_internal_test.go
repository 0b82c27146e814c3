package forum

import (
	"context"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// A member's erasure and another member's reaction on the same topic and day both commit: they
// lock the day row before the group row, in the same order. (On PostgreSQL the erasure used to
// lock the group first: the two deadlocked and the erasure could be the one aborted.)
func TestErasureAndReactionOnOneTopicBothCommit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		p := postPlanter{t, db}
		author, leaving, staying := p.member("author", "member"), p.member("leaving", "member"), p.member("staying", "member")
		var group int64
		db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('g', 'G', 'public', ?) RETURNING id`, now).Scan(&group)
		topic, post := p.topic(group, author, now)
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(`INSERT INTO reactions (post_id, member_id, kind, created_at) VALUES (?, ?, 'me_too', ?)`, post, leaving, now).Error; err != nil {
				return err
			}
			return addReactions(ctx, tx, topic, reactionDay(now), 1)
		})
		if err != nil {
			t.Fatal(err)
		}

		// The reaction takes its day row, the erasure starts and waits, then the reaction
		// bumps its group and commits.
		react := db.Begin()
		if err := react.Exec(`INSERT INTO reactions (post_id, member_id, kind, created_at) VALUES (?, ?, 'strength', ?)`, post, staying, now).Error; err != nil {
			t.Fatal(err)
		}
		if err := countReactions(ctx, react, topic, reactionDay(now), 1); err != nil {
			t.Fatal(err)
		}
		erased := make(chan error, 1)
		go func() {
			erased <- db.Transaction(func(tx *gorm.DB) error {
				if err := uncountMemberReactions(ctx, tx, leaving); err != nil {
					return err
				}
				return tx.Exec(`DELETE FROM members WHERE id = ?`, leaving).Error
			})
		}()
		time.Sleep(300 * time.Millisecond) // the erasure is now waiting for the first lock it needs
		err = react.Exec(`UPDATE groups SET reaction_version = reaction_version + 1 WHERE id = ?`, group).Error
		if err == nil {
			err = react.Commit().Error
		} else {
			react.Rollback()
		}
		if err != nil {
			t.Errorf("the reaction failed beside an erasure: %v", err)
		}
		if err := <-erased; err != nil {
			t.Errorf("the erasure failed beside a reaction: %v", err)
		}
		var n int
		db.Raw(`SELECT n FROM topic_reaction_days WHERE topic_id = ?`, topic).Scan(&n)
		if n != 1 {
			t.Errorf("the day's count is %d after one reaction stayed and one was erased; want 1", n)
		}
	})
}
