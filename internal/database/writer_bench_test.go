package database_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"gorm.io/gorm"
)

// BenchmarkConcurrentWriters: 8 goroutines each commit small write transactions (an insert and
// an update, as a reply does) on one SQLite file opened as the program opens it, while 8 more
// read. Reported: each write transaction's latency at p50 and p99, and the reads' p99.
//
//	go test ./internal/database -run '^$' -bench ConcurrentWriters -benchtime 2000x
func BenchmarkConcurrentWriters(b *testing.B) {
	ctx := context.Background()
	db, err := database.Open(ctx, filepath.Join(b.TempDir(), "haven.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer database.Close(db)
	if err := db.Exec(`CREATE TABLE bench (id INTEGER PRIMARY KEY, body TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0)`).Error; err != nil {
		b.Fatal(err)
	}
	db.Exec(`INSERT INTO bench (body) VALUES ('counter')`)
	const writers, readers = 8, 8
	var mu sync.Mutex
	var writes, reads []time.Duration
	var failed int
	per := max(b.N/writers, 1)
	stop := make(chan struct{})
	var rwg sync.WaitGroup
	for range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				var n int64
				db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM bench`).Scan(&n)
				took := time.Since(start)
				mu.Lock()
				reads = append(reads, took)
				mu.Unlock()
			}
		}()
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range per {
				start := time.Now()
				err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
					if err := tx.Exec(`INSERT INTO bench (body) VALUES ('a reply of some length, as members write them')`).Error; err != nil {
						return err
					}
					return tx.Exec(`UPDATE bench SET n = n + 1 WHERE id = 1`).Error
				})
				took := time.Since(start)
				mu.Lock()
				if err != nil {
					failed++
				} else {
					writes = append(writes, took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(stop)
	rwg.Wait()
	if failed > 0 {
		b.Errorf("%d write transactions failed", failed)
	}
	b.ReportMetric(quantile(writes, 0.50), "write-p50-ms")
	b.ReportMetric(quantile(writes, 0.99), "write-p99-ms")
	b.ReportMetric(quantile(reads, 0.99), "read-p99-ms")
	b.ReportMetric(float64(len(writes))/b.Elapsed().Seconds(), "writes/s")
}

func quantile(d []time.Duration, q float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return float64(d[int(q*float64(len(d)-1))]) / float64(time.Millisecond)
}
