package forum

import (
	"container/list"
	"sync"
	"time"
)

// contentCache holds, in this process only, what any reader of a group sees alike: never a page
// rendered for one member and never anything drawn from what one member does (activity,
// consents, who reacted). The only counts of members' actions it holds are topics' reaction
// counts, which every member of the group sees under each post. Every key carries the group's
// content version, which each write that changes the group's pages bumps in its own transaction
// (counts.go), and reaction counts also the group's reaction version (reactiondays.go), so no
// instance serves content a write on any instance has changed: the next read sees the new
// version and misses. Entries of older versions are dropped as soon as a newer one is seen, and
// every entry expires after cacheTTL, so erased words and reactions do not linger in memory.
type contentCache struct {
	mu         sync.Mutex
	maxEntries int
	maxBytes   int
	bytes      int
	ttl        time.Duration
	order      *list.List // of *cacheEntry, most recently used first
	items      map[cacheKey]*list.Element
	newest     map[int64]int64 // group → the newest content version seen
	newestRe   map[int64]int64 // group → the newest reaction version seen
	swept      time.Time       // when expired entries were last dropped
}

// Limits of the cache: about 1,000 topics' related lists and pools on a few megabytes.
const (
	cacheEntries = 2048
	cacheBytes   = 16 << 20
	cacheTTL     = 5 * time.Minute
)

type cacheKey struct {
	kind           byte // cacheRelated, cachePool, …
	group, version int64
	id             int64 // a topic, a day, or 0
	reactions      int64 // the group's reaction version, for entries holding reaction counts; else 0
}

const (
	cachePool       byte = iota + 1 // a group's newest topics with their term vectors (related.go)
	cacheRelated                    // one topic's related topics (related.go)
	cacheCandidates                 // a group's recent topics for suggestions (candidates.go)
	cacheReactions                  // the last week's reaction counts of those topics, for one UTC day (candidates.go)
	cacheCard                       // a group's card in the directory (groups.go)
)

type cacheEntry struct {
	key   cacheKey
	value any
	size  int
	until time.Time
}

func newContentCache() *contentCache {
	return &contentCache{maxEntries: cacheEntries, maxBytes: cacheBytes, ttl: cacheTTL, order: list.New(),
		items: map[cacheKey]*list.Element{}, newest: map[int64]int64{}, newestRe: map[int64]int64{}}
}

// get returns the value cached under k, if any is still fresh; it also forgets every entry of
// an older version of k's group.
func (c *contentCache) get(k cacheKey) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep()
	c.seen(k)
	el, ok := c.items[k]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if time.Now().After(e.until) {
		c.remove(el)
		return nil, false
	}
	c.order.MoveToFront(el)
	return e.value, true
}

// put caches v under k; size is about how many bytes v holds.
func (c *contentCache) put(k cacheKey, v any, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep()
	c.seen(k)
	if k.version < c.newest[k.group] || k.kind == cacheReactions && k.reactions < c.newestRe[k.group] || size > c.maxBytes/8 {
		return // already out of date, or too big to be worth a place
	}
	if el, ok := c.items[k]; ok {
		c.remove(el)
	}
	c.items[k] = c.order.PushFront(&cacheEntry{key: k, value: v, size: size, until: time.Now().Add(c.ttl)})
	c.bytes += size
	for c.order.Len() > c.maxEntries || c.bytes > c.maxBytes {
		c.remove(c.order.Back())
	}
}

// seen records that k's group is at k's content (and reaction) version, dropping the group's
// entries of older versions.
func (c *contentCache) seen(k cacheKey) {
	newer := k.version > c.newest[k.group]
	newerRe := k.reactions > c.newestRe[k.group]
	if !newer && !newerRe {
		return
	}
	if newer {
		c.newest[k.group] = k.version
	}
	if newerRe {
		c.newestRe[k.group] = k.reactions
	}
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if e := el.Value.(*cacheEntry); e.key.group == k.group && (e.key.version < k.version ||
			newerRe && e.key.kind == cacheReactions && e.key.reactions < k.reactions) {
			c.remove(el)
		}
		el = next
	}
}

// sweep drops every expired entry, at most every fifth of the expiry: an entry of a quiet group
// whose words were erased on another instance is never read again here, and would otherwise sit
// in memory until the cache filled.
func (c *contentCache) sweep() {
	now := time.Now()
	if now.Sub(c.swept) < c.ttl/5 {
		return
	}
	c.swept = now
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if now.After(el.Value.(*cacheEntry).until) {
			c.remove(el)
		}
		el = next
	}
}

func (c *contentCache) remove(el *list.Element) {
	e := c.order.Remove(el).(*cacheEntry)
	delete(c.items, e.key)
	c.bytes -= e.size
}

// purge empties the cache.
func (c *contentCache) purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	c.items = map[cacheKey]*list.Element{}
	c.bytes = 0
}

// size reports the entries and bytes held, for tests and metrics.
func (c *contentCache) size() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}

// ForgetCached empties this instance's content cache: erase-all paths call it so that no copy of
// erased words waits for its version to be seen or its time to run out. Other instances miss on
// the bumped version at their next read.
func (f *Forum) ForgetCached() { f.state.cache.purge() }

// CachedContent reports how many entries and bytes this instance's content cache holds.
func (f *Forum) CachedContent() (entries, bytes int) { return f.state.cache.size() }
