package board

// The cache of boards. Its memory is bounded whatever the requests: the
// boards of the standard periods (the last 30 days, calendar months,
// quarters and years) are held, with their encoded answers, up to a byte
// budget, the least recently used going first; a board of any other
// period is computed for its request and dropped, at most
// UncachedAtOnce at a time, so that a caller asking for a new period on
// every request costs CPU, not memory.

import (
	"context"
	"math"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/sync/singleflight"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
)

// DefaultTTL is how long a computed board is shown: new reviews appear on
// the pages within a minute.
const DefaultTTL = time.Minute

// DefaultBytes is the cache's budget unless told otherwise (--cache-bytes).
const DefaultBytes = 256 << 20

// UncachedAtOnce is how many boards of periods that are not standard are
// computed at once; more requests wait for a turn. A board of 20,000
// workstations and its answer take some 20 MB while computed.
const UncachedAtOnce = 2

// Cache keeps the boards of the standard periods for TTL, within a byte
// budget. Concurrent requests for a board that is not held wait for one
// computation. A board asked for in the last quarter of its life is
// computed again in the background, so that a board in use is never found
// expired: at 10M reviews a board takes seconds.
type Cache struct {
	source Source
	ttl    time.Duration
	now    func() time.Time
	budget int64
	turns  chan struct{} // one token per board of another period being computed

	mu    sync.Mutex
	held  *lru.LRU[key, *held]
	bytes int64 // the sizes of the boards held
	group singleflight.Group
}

type key struct {
	scope    index.Scope
	parent   string
	from, to string
}

func (k key) String() string { return string(k.scope) + " " + k.parent + " " + k.from + " " + k.to }

// held is a computed board with its encoded answer (nil until asked for,
// on a board not cached).
type held struct {
	board Board
	enc   *encoded
	size  int64
	until time.Time
}

// New returns a cache over source, with DefaultBytes of budget; now is the
// clock.
func New(source Source, ttl time.Duration, now func() time.Time) *Cache {
	c := &Cache{source: source, ttl: ttl, now: now, budget: DefaultBytes, turns: make(chan struct{}, UncachedAtOnce)}
	c.held, _ = lru.NewLRU[key, *held](math.MaxInt32, func(_ key, h *held) { c.bytes -= h.size })
	return c
}

// SetBudget sets the bytes the held boards may take, evicting the least
// recently used beyond it.
func (c *Cache) SetBudget(bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.budget = bytes
	c.evict()
}

// Bytes is what the held boards take, by the cache's accounting.
func (c *Cache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

func (c *Cache) evict() {
	for c.bytes > c.budget {
		if _, _, ok := c.held.RemoveOldest(); !ok {
			return
		}
	}
}

// Board returns the board of sc over the days from to to.
func (c *Cache) Board(ctx context.Context, sc index.Scope, from, to time.Time) (Board, error) {
	return c.Within(ctx, sc, "", from, to)
}

// Within returns the board of the members of sc within parent (the halls
// of a district, the staff of a unit) over the days from to to.
func (c *Cache) Within(ctx context.Context, sc index.Scope, parent string, from, to time.Time) (Board, error) {
	var b Board
	err := c.use(ctx, sc, parent, from, to, func(h *held) { b = h.board })
	return b, err
}

// Page is the JSON answer of GET /api/v1/index for the page of up to
// limit members after the member after (the first page when nil) of the
// board Within returns.
func (c *Cache) Page(ctx context.Context, sc index.Scope, parent string, from, to time.Time, after *index.Entry, limit int) ([]byte, error) {
	var out []byte
	err := c.use(ctx, sc, parent, from, to, func(h *held) {
		enc := h.enc
		if enc == nil {
			e := encode(h.board)
			enc = &e
		}
		out = page(h.board, *enc, after, limit)
	})
	return out, err
}

// use calls f with the board of sc within parent over from to to: the
// one held for a standard period, computed for the call otherwise.
func (c *Cache) use(ctx context.Context, sc index.Scope, parent string, from, to time.Time, f func(*held)) error {
	k := key{sc, parent, from.In(calendar.Zone).Format(time.DateOnly), to.In(calendar.Zone).Format(time.DateOnly)}
	compute := func(keep bool) func() (any, error) {
		return func() (any, error) {
			// One caller hanging up must not fail the others waiting on it.
			b, err := c.source(context.WithoutCancel(ctx), sc, parent, from, to)
			if err != nil {
				return nil, err
			}
			now := c.now()
			b.Computed = now
			h := &held{board: b, until: now.Add(c.ttl)}
			if keep {
				c.keep(k, h)
			}
			return h, nil
		}
	}
	if !Standard(from, to, c.now()) {
		select {
		case c.turns <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-c.turns }()
		// Identical requests at once still share one computation.
		v, err, _ := c.group.Do("once "+k.String(), compute(false))
		if err != nil {
			return err
		}
		f(v.(*held))
		return nil
	}
	c.mu.Lock()
	h, ok := c.held.Get(k)
	c.mu.Unlock()
	if now := c.now(); ok && now.Before(h.until) {
		if !now.Before(h.until.Add(-c.ttl / 4)) {
			// Joins a refresh already running; the answer is not awaited.
			c.group.DoChan(k.String(), compute(true))
		}
		f(h)
		return nil
	}
	v, err, _ := c.group.Do(k.String(), compute(true))
	if err != nil {
		return err
	}
	f(v.(*held))
	return nil
}

// keep holds h under k with its encoded answer, unless it alone would
// take more than the budget.
func (c *Cache) keep(k key, h *held) {
	enc := encode(h.board)
	h.enc = &enc
	h.size = sizeOf(h.board, enc)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.held.Remove(k) // the board it replaces, its bytes with it
	if h.size > c.budget {
		return
	}
	c.held.Add(k, h)
	c.bytes += h.size
	c.evict()
}
