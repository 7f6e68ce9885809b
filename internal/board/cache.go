package board

// The cache of boards. Its memory is bounded whatever the requests: the
// boards of the standard periods (the last 30 days, calendar months,
// quarters and years) are held, with their encoded answers, up to a byte
// budget, the least recently used going first; a board of any other
// period is computed for its request and dropped. At most Computing boards
// are computed at once, so that a caller asking for a new period on every
// request costs CPU, not memory.

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/sync/singleflight"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
)

// DefaultTTL is how long a computed board is shown: new reviews appear on
// the pages within a minute.
const DefaultTTL = time.Minute

// ClosedLonger is how many times longer than the TTL the board of a period
// that ended before today is shown: no review is given in it any more, only
// its work orders progress and its appeals are decided, so ten minutes
// (with DefaultTTL) is soon enough, and keeping a year of monthly boards
// warm costs a tenth of what it would.
const ClosedLonger = 10

// DefaultBytes is the cache's budget unless told otherwise (--cache-bytes).
const DefaultBytes = 256 << 20

// Computing is how many boards are computed at once; more computations
// wait for a turn. A board of 20,000 workstations and its answer take some
// 60 MB while computed, so the heap stays under the budget and Computing
// such boards whatever the requests. A board is computed mostly by the
// database, so a few at once keep a small machine busy.
const Computing = 4

// Cache keeps the boards of the standard periods for TTL, within a byte
// budget. Concurrent requests for a board that is not held wait for one
// computation. A board asked for in the last quarter of its life is
// computed again in the background, so that a board in use is never found
// expired: at 10M reviews a board takes seconds.
type Cache struct {
	source Source
	themes ThemeSource // nil: Themes fails
	ttl    time.Duration
	now    func() time.Time
	budget int64
	turns  chan struct{} // one token per board being computed

	computed atomic.Int64 // boards computed, for Computations

	mu    sync.Mutex
	held  *lru.LRU[key, *held]
	bytes int64 // the sizes of the boards held
	group singleflight.Group
	// shelf, when set, stores what is computed for the next start;
	// shelved is when each key's stored copy was computed.
	shelf   *Shelf
	shelved map[key]time.Time
}

type key struct {
	scope    index.Scope
	parent   string
	from, to string
	// themes is set on the key of an axis's theme counts (the axis in
	// parent), held beside the boards within the same budget.
	themes bool
}

func (k key) String() string {
	s := string(k.scope) + " " + k.parent + " " + k.from + " " + k.to
	if k.themes {
		s = "themes " + s
	}
	return s
}

// held is a computed board with its encoded answer, or an axis's theme
// counts.
type held struct {
	board  Board
	enc    encoded
	themes map[string]map[string]int64
	// computed is when the theme counts were (a board's is its Computed).
	computed time.Time
	// restored is set on what Restore put back from the last run.
	restored bool
	size     int64
	until    time.Time
}

// New returns a cache over source, with DefaultBytes of budget; now is the
// clock.
func New(source Source, ttl time.Duration, now func() time.Time) *Cache {
	c := &Cache{source: source, ttl: ttl, now: now, budget: DefaultBytes, turns: make(chan struct{}, Computing)}
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

// Computations is how many boards the cache has computed since it was
// made: a request served from what it holds adds none.
func (c *Cache) Computations() int64 { return c.computed.Load() }

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
	err := c.use(ctx, sc, parent, from, to, func(h *held) { out = page(h.board, h.enc, after, limit) })
	return out, err
}

// use calls f with the board of sc within parent over from to to: the
// one held for a standard period, computed for the call otherwise.
func (c *Cache) use(ctx context.Context, sc index.Scope, parent string, from, to time.Time, f func(*held)) error {
	k := key{scope: sc, parent: parent, from: dayOf(from), to: dayOf(to)}
	return c.hold(ctx, k, from, to, func(ctx context.Context) (*held, error) {
		// One instant for the whole computation, read before it starts, in
		// the milliseconds the database keeps times in.
		at := c.now().Truncate(time.Millisecond)
		b, err := c.source(ctx, sc, parent, from, to, at)
		if err != nil {
			return nil, err
		}
		b.Computed = at
		h := &held{board: b, enc: encode(b)}
		h.size = sizeOf(h.board, h.enc)
		return h, nil
	}, f)
}

func dayOf(t time.Time) string { return t.In(calendar.Zone).Format(time.DateOnly) }

// hold calls f with what is held under k, the figures of the days from
// to to, computing them with compute when they are not held or expired:
// kept for a standard period, for the call alone otherwise.
func (c *Cache) hold(ctx context.Context, k key, from, to time.Time, compute func(context.Context) (*held, error), f func(*held)) error {
	run := func(keep bool) func() (any, error) {
		return func() (any, error) {
			c.turns <- struct{}{}
			defer func() { <-c.turns }()
			c.computed.Add(1)
			// One caller hanging up must not fail the others waiting on it.
			h, err := compute(context.WithoutCancel(ctx))
			if err != nil {
				return nil, err
			}
			now := c.now()
			h.until = now.Add(c.ttlOf(to, now))
			if keep {
				c.keep(k, h)
				c.shelve(context.WithoutCancel(ctx), k, h)
			}
			return h, nil
		}
	}
	if !Standard(from, to, c.now()) {
		// Identical requests at once still share one computation.
		v, err, _ := c.group.Do("once "+k.String(), run(false))
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
		if !now.Before(h.until.Add(-c.ttlOf(to, now) / 4)) {
			// Joins a refresh already running; the answer is not awaited.
			c.group.DoChan(k.String(), run(true))
		}
		f(h)
		return nil
	}
	if ok && h.restored {
		// Restored from the last run: served, with its own computed_at,
		// until it is computed again (each use asks for that), rather
		// than keep the first visitors waiting: at 10M reviews on a busy
		// machine computing every board takes minutes.
		c.group.DoChan(k.String(), run(true))
		f(h)
		return nil
	}
	v, err, _ := c.group.Do(k.String(), run(true))
	if err != nil {
		return err
	}
	f(v.(*held))
	return nil
}

// ttlOf is how long the board of a period ending on the day to is shown
// when computed at now.
func (c *Cache) ttlOf(to, now time.Time) time.Duration {
	if calendar.Midnight(to).Before(calendar.Midnight(now)) {
		return c.ttl * ClosedLonger
	}
	return c.ttl
}

// keep holds h under k, unless it alone would take more than the budget.
func (c *Cache) keep(k key, h *held) {
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
