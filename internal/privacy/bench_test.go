package privacy_test

import (
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
)

// BenchmarkEraseMember100kEvents erases a member with 100,000 recorded topic opens on SQLite
// (target: under 1 s).
//
//	go test ./internal/privacy -run '^$' -bench EraseMember -benchtime 3x
func BenchmarkEraseMember100kEvents(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := dbtest.SQLite(b)
		ctx, groupID, topicID := fixtureTB(b, db, "heavy_reader")
		var memberID int64
		db.Raw(`SELECT id FROM members WHERE username = 'heavy_reader'`).Scan(&memberID)
		left := 100000
		at := time.Now().UTC()
		n, err := privacy.SeedGenerated(ctx, db, []int64{memberID}, []string{privacy.ReadingHistory}, at, func() (privacy.GeneratedEvent, bool) {
			if left == 0 {
				return privacy.GeneratedEvent{}, false
			}
			left--
			return privacy.GeneratedEvent{MemberID: memberID, TopicID: topicID, GroupID: groupID, At: at.Add(-time.Duration(left) * time.Second)}, true
		})
		if err != nil || n != 100000 {
			b.Fatalf("seeded %d: %v", n, err)
		}
		s := privacy.NewService(db, privacy.ControllerInfo{})
		b.StartTimer()
		erased, err := s.EraseAll(ctx)
		b.StopTimer()
		if err != nil || erased != 100000 {
			b.Fatalf("erased %d: %v", erased, err)
		}
	}
}
