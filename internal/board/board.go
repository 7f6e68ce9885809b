// Package board holds the published index boards (a scope's members
// ranked by index over a period) that the public pages and the
// supervisor's dashboard draw, computed at most once a minute per scope
// and period: a page view then reads memory, not millions of reviews.
package board

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
)

// Board is a scope's published index over the days From to To.
type Board struct {
	Scope index.Scope
	// Parent is the district whose halls, or the unit whose staff, are
	// ranked; empty when every member is.
	Parent            string
	From, To          time.Time
	DefinitionVersion int
	Ranked            []index.Entry // ranked, best first
	Insufficient      []index.Entry // under the minimum sample (样本不足)
	// Computed is when the cache computed the board: one computation, one
	// time, so a caller may keep what it derives from the board until it
	// changes.
	Computed time.Time
}

// Find returns the entry of code, ranked or not.
func (b Board) Find(code string) (index.Entry, bool) {
	for _, list := range [][]index.Entry{b.Ranked, b.Insufficient} {
		for _, e := range list {
			if e.Code == code {
				return e, true
			}
		}
	}
	return index.Entry{}, false
}

// Source computes a board from the reviews and work orders, of the members
// within parent (all when empty): the computation GET /api/v1/index
// publishes.
type Source func(ctx context.Context, sc index.Scope, parent string, from, to time.Time) (Board, error)

// DefaultTTL is how long a computed board is shown: new reviews appear on
// the pages within a minute.
const DefaultTTL = time.Minute

// Cache keeps computed boards for TTL. Concurrent requests for a board
// that is not held wait for one computation. A board asked for in the last
// quarter of its life is computed again in the background, so that a board
// in use is never found expired: at 10M reviews a board takes seconds.
type Cache struct {
	source Source
	ttl    time.Duration
	now    func() time.Time

	mu    sync.Mutex
	held  map[key]held
	group singleflight.Group
}

type key struct {
	scope    index.Scope
	parent   string
	from, to string
}

type held struct {
	board Board
	until time.Time
}

// New returns a cache over source; now is the clock.
func New(source Source, ttl time.Duration, now func() time.Time) *Cache {
	return &Cache{source: source, ttl: ttl, now: now, held: map[key]held{}}
}

// Board returns the board of sc over the days from to to.
func (c *Cache) Board(ctx context.Context, sc index.Scope, from, to time.Time) (Board, error) {
	return c.Within(ctx, sc, "", from, to)
}

// Within returns the board of the members of sc within parent (the halls
// of a district, the staff of a unit) over the days from to to.
func (c *Cache) Within(ctx context.Context, sc index.Scope, parent string, from, to time.Time) (Board, error) {
	k := key{sc, parent, from.In(calendar.Zone).Format(time.DateOnly), to.In(calendar.Zone).Format(time.DateOnly)}
	c.mu.Lock()
	h, ok := c.held[k]
	c.mu.Unlock()
	name := string(k.scope) + " " + k.parent + " " + k.from + " " + k.to
	compute := func() (any, error) {
		// One caller hanging up must not fail the others waiting on it.
		b, err := c.source(context.WithoutCancel(ctx), sc, parent, from, to)
		if err != nil {
			return Board{}, err
		}
		now := c.now()
		b.Computed = now
		c.mu.Lock()
		defer c.mu.Unlock()
		for k, h := range c.held {
			if !now.Before(h.until) {
				delete(c.held, k)
			}
		}
		c.held[k] = held{b, now.Add(c.ttl)}
		return b, nil
	}
	if now := c.now(); ok && now.Before(h.until) {
		if !now.Before(h.until.Add(-c.ttl / 4)) {
			// Joins a refresh already running; the answer is not awaited.
			c.group.DoChan(name, compute)
		}
		return h.board, nil
	}
	v, err, _ := c.group.Do(name, compute)
	return v.(Board), err
}
