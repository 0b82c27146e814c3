package privacy_test

import (
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
)

// BenchmarkRecordTopicOpen is the gate's cost per topic view on SQLite, consent on and off.
//
//	go test ./internal/privacy -run '^$' -bench RecordTopicOpen
func BenchmarkRecordTopicOpen(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "consent=off"
		if on {
			name = "consent=on"
		}
		b.Run(name, func(b *testing.B) {
			db := dbtest.SQLite(b)
			ctx, g, topic := fixtureTB(b, db, "bench_reader")
			s := privacy.NewService(db, privacy.ControllerInfo{})
			if on {
				s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.RecordTopicOpen(ctx, topic, g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
