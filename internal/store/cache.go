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
type cache[V any] struct {
	mu sync.Mutex
	m  map[string]cached[V]
}

type cached[V any] struct {
	v  V
	at time.Time
}

func (c *cache[V]) get(key string, load func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && time.Since(e.at) < catalogTTL {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]cached[V]{}
	}
	c.m[key] = cached[V]{v, time.Now()}
	c.mu.Unlock()
	return v, nil
}

func (c *cache[V]) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
