package dbtest

import (
	"context"
	"sync/atomic"
	"time"

	"gorm.io/gorm/logger"
)

// Counter is a gorm logger that counts every statement run: tests that the number of queries
// does not grow with the data use it as a session's Logger.
type Counter struct{ n atomic.Int64 }

// N is how many statements ran so far.
func (q *Counter) N() int64 { return q.n.Load() }

func (q *Counter) LogMode(logger.LogLevel) logger.Interface { return q }
func (q *Counter) Info(context.Context, string, ...any)     {}
func (q *Counter) Warn(context.Context, string, ...any)     {}
func (q *Counter) Error(context.Context, string, ...any)    {}
func (q *Counter) Trace(context.Context, time.Time, func() (string, int64), error) {
	q.n.Add(1)
}
