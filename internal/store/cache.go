package store

import (
	"sync"
	"time"
)

// catalogTTL bounds how stale a cached catalogue record may be in a process
// that did not make the change itself (another server process did).
const catalogTTL = 30 * time.Second

// cache keeps catalogue records that every review looks up. Only found
// records are kept, so the cache holds at most the catalogue.
//
// A record past catalogTTL is loaded again by the first caller to find it
// so; callers meanwhile are given the record as it was, rather than each
// loading it too: under load, a busy item expired for the dozens of
// reviews in flight at once, and each paid two queries for it.
type cache[V any] struct {
	mu sync.Mutex
	m  map[string]cached[V]
}

type cached[V any] struct {
	v       V
	at      time.Time
	loading bool // a caller is loading it again
}

func (c *cache[V]) get(key string, load func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	switch {
	case ok && (e.loading || time.Since(e.at) < catalogTTL):
		c.mu.Unlock()
		return e.v, nil
	case ok:
		e.loading = true
		c.m[key] = e
	}
	c.mu.Unlock()
	v, err := load()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if e, ok := c.m[key]; ok && e.loading {
			e.loading = false // the next caller tries again
			c.m[key] = e
		}
		return v, err
	}
	if c.m == nil {
		c.m = map[string]cached[V]{}
	}
	c.m[key] = cached[V]{v: v, at: time.Now()}
	return v, nil
}

func (c *cache[V]) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
