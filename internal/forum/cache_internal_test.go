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

// Reaction counts of an older reaction version leave memory as soon as a newer version is seen
// (an erased member's reactions are in them), while the group's content entries stay.
func TestContentCacheDropsOlderReactionCounts(t *testing.T) {
	t.Parallel()
	c := newContentCache()
	pool := cacheKey{kind: cacheCandidates, group: 1, version: 3}
	old := cacheKey{kind: cacheReactions, group: 1, version: 3, id: 20000, reactions: 7}
	c.put(pool, "topics", 100)
	c.put(old, map[int64]int{1: 2}, 100)
	if _, ok := c.get(cacheKey{kind: cacheReactions, group: 1, version: 3, id: 20000, reactions: 8}); ok {
		t.Fatal("counts of reaction version 7 served for version 8")
	}
	if n, _ := c.size(); n != 1 {
		t.Errorf("%d entries after reaction version 8 was seen, want only the topics", n)
	}
	if _, ok := c.get(pool); !ok {
		t.Error("a new reaction version dropped the group's topics")
	}
	c.put(old, map[int64]int{1: 2}, 100)
	if _, ok := c.get(old); ok {
		t.Error("counts of an older reaction version were cached after a newer one was seen")
	}
}
