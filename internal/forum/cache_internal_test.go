package forum

import (
	"testing"
	"time"
)

// An entry nobody reads again still leaves memory once it expires: erased words of a quiet group,
// changed on another instance, must not wait here for the cache to fill.
func TestContentCacheDropsExpiredEntriesNobodyReads(t *testing.T) {
	t.Parallel()
	c := newContentCache()
	c.ttl = 20 * time.Millisecond
	c.put(cacheKey{kind: cachePool, group: 1, version: 1}, "words to be erased", 100)
	if n, _ := c.size(); n != 1 {
		t.Fatalf("%d entries after one put", n)
	}
	time.Sleep(3 * c.ttl)
	c.put(cacheKey{kind: cachePool, group: 2, version: 1}, "another group", 100) // any later use sweeps
	if n, b := c.size(); n != 1 || b != 100 {
		t.Errorf("after expiry the cache holds %d entries (%d bytes), want only the new one", n, b)
	}
	if _, ok := c.get(cacheKey{kind: cachePool, group: 1, version: 1}); ok {
		t.Error("an expired entry was served")
	}
}
