package board

// The cache of boards. Its memory is bounded whatever the requests: the
// boards of the standard periods (the last 30 days, calendar months,
// quarters and years) are held, with their encoded answers, up to a byte
// budget, the least recently used going first; a board of any other
// period is computed for its request and dropped. At most Computing boards
// of the standard periods, and ComputingOthers of other periods, are
// computed at once, so that a caller asking for a new period on every
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

// Computing is how many boards of the standard periods are computed at
// once; more computations wait for a turn. A board of 20,000 workstations
// and its answer take some 60 MB while computed, so the heap stays under
// the budget and Computing such boards whatever the requests. A board is
// computed mostly by the database, so a few at once keep a small machine
// busy.
const Computing = 4

// ComputingOthers is how many boards of other periods, computed for their
// request and never held, are computed at once, in turns of their own: a
// caller asking for a new period on every request then costs one board's
// memory at a time, and cannot take the turns the boards the pages draw
// are refreshed in.
const ComputingOthers = 1

// Cache keeps the boards of the standard periods for TTL, within a byte
// budget. Concurrent requests for a board that is not held wait for one
// computation. A board asked for in the last quarter of its life, or
// past it, is computed again in the background while it is served, so
// that a board in use is not waited for: at 10M reviews a board takes
// seconds. Past its TTL it is served stale for StaleFor TTLs at most.
type Cache struct {
	source Source
	themes ThemeSource // nil: Themes fails
	ttl    time.Duration
	now    func() time.Time
	budget int64
	turns  chan struct{} // one token per board of a standard period being computed
	others chan struct{} // one token per board of another period being computed

	computed atomic.Int64 // boards computed, for Computations
	waits    atomic.Int64 // calls that waited for a computation, for Waits
	viewHits atomic.Int64 // views served as held, for ViewHits

	// behind counts the computations visitors started in the background
	// (Settle waits for them); behindKeys are their keys, so a visitor
	// while one runs starts nothing.
	behind     sync.WaitGroup
	behindKeys map[key]bool

	mu    sync.Mutex
	held  *lru.LRU[key, *held]
	bytes int64 // the sizes of the boards held
	// gens numbers what is held, each addition its own (held.gen).
	gens  uint64
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
	// view names a rendered page (view.go), held beside the boards it
	// draws; the other fields are empty.
	view string
}

func (k key) String() string {
	if k.view != "" {
		return "view " + k.view
	}
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
	size     int64
	// until is when it expires: served, stale, StaleFor TTLs more.
	until time.Time
	// gen tells this holding of its key from the ones before and after
	// it (a view records the gens it drew); 0 when never held.
	gen uint64
	// page is a view's (view.go), set on a view's key alone.
	page *heldView
}

// New returns a cache over source, with DefaultBytes of budget; now is the
// clock.
func New(source Source, ttl time.Duration, now func() time.Time) *Cache {
	c := &Cache{source: source, ttl: ttl, now: now, budget: DefaultBytes,
		turns: make(chan struct{}, Computing), others: make(chan struct{}, ComputingOthers), behindKeys: map[key]bool{}}
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
// made, in the background or not: a request served from what it holds
// adds none of its own.
func (c *Cache) Computations() int64 { return c.computed.Load() }

// Waits is how many calls have waited for a computation since the cache
// was made: those of a board never computed (nor restored), or held past
// its staleness bound (StaleFor), and every call of a period that is not
// standard.
func (c *Cache) Waits() int64 { return c.waits.Load() }

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
		if enc.ends == nil {
			// Computed for this call alone: its page's members alone are
			// encoded.
			start, end := bounds(h.board, after, limit)
			enc = encodeRange(h.board, start, end)
		}
		out = page(h.board, enc, after, limit)
	})
	return out, err
}

// use calls f with the board of sc within parent over from to to: the
// one held for a standard period, computed for the call otherwise.
func (c *Cache) use(ctx context.Context, sc index.Scope, parent string, from, to time.Time, f func(*held)) error {
	k, compute := c.boardJob(sc, parent, from, to)
	return c.hold(ctx, k, from, to, compute, f)
}

// boardJob is the key of the board of sc within parent over from to to,
// and its computation.
func (c *Cache) boardJob(sc index.Scope, parent string, from, to time.Time) (key, func(context.Context) (*held, error)) {
	k := key{scope: sc, parent: parent, from: dayOf(from), to: dayOf(to)}
	return k, func(ctx context.Context) (*held, error) {
		// One instant for the whole computation, read before it starts, in
		// the milliseconds the database keeps times in.
		at := c.now().Truncate(time.Millisecond)
		b, err := c.source(ctx, sc, parent, from, to, at)
		if err != nil {
			return nil, err
		}
		b.Computed = at
		return &held{board: b}, nil // encoded when held (run)
	}
}

func dayOf(t time.Time) string { return t.In(calendar.Zone).Format(time.DateOnly) }

// StaleFor is how many of its TTLs past its expiry a held board is still
// served, stale (its computed_at says how), while one computation of it
// runs in the background: no visitor waits for a board that was ever
// computed. Past that bound it is computed while its visitor waits, so a
// board computed by this run is never shown more than (1 + StaleFor) TTLs
// after it was computed: 11 minutes with DefaultTTL, 110 for a period
// that ended before today. A board restored from the last run expires
// when it is restored, and is shown at most StaleFor TTLs after that.
const StaleFor = 10

// hold calls f with what is held under k, the figures of the days from
// to to, computing them with compute when they are not held: kept for a
// standard period, for the call alone otherwise. What is held is served
// until StaleFor TTLs past its expiry; from the last quarter of its TTL
// on, each use starts its computation in the background unless one runs.
func (c *Cache) hold(ctx context.Context, k key, from, to time.Time, compute func(context.Context) (*held, error), f func(*held)) error {
	if !Standard(from, to, c.now()) {
		drewOther(ctx)
		// Identical requests at once still share one computation.
		c.waits.Add(1)
		v, err, _ := c.group.Do("once "+k.String(), c.run(ctx, k, to, compute, false))
		if err != nil {
			return err
		}
		f(v.(*held))
		return nil
	}
	c.mu.Lock()
	h, ok := c.held.Get(k)
	c.mu.Unlock()
	if now := c.now(); ok && now.Before(h.until.Add(StaleFor*c.ttlOf(to, now))) {
		if c.due(h, to, now) {
			c.refreshBehind(ctx, k, to, compute)
		}
		drew(ctx, k, h, to, compute)
		f(h)
		return nil
	}
	c.waits.Add(1)
	v, err, _ := c.group.Do(k.String(), c.run(ctx, k, to, compute, true))
	if err != nil {
		return err
	}
	drew(ctx, k, v.(*held), to, compute)
	f(v.(*held))
	return nil
}

// refreshBehind starts k's computation in the background, not awaited,
// unless a visitor's is running already.
func (c *Cache) refreshBehind(ctx context.Context, k key, to time.Time, compute func(context.Context) (*held, error)) {
	c.mu.Lock()
	if c.behindKeys[k] {
		c.mu.Unlock()
		return
	}
	c.behindKeys[k] = true
	c.behind.Add(1)
	c.mu.Unlock()
	done := c.group.DoChan(k.String(), c.run(ctx, k, to, compute, true))
	go func() {
		<-done
		c.mu.Lock()
		delete(c.behindKeys, k)
		c.mu.Unlock()
		c.behind.Done()
	}()
}

// Settle waits for the computations that visitors started in the
// background, so that nothing writes to the database after its last
// visit: for a caller about to close it.
func (c *Cache) Settle() { c.behind.Wait() }

// due reports whether h, of a period ending on the day to, is in the last
// quarter of its TTL or past it at now: time to compute it again.
func (c *Cache) due(h *held, to, now time.Time) bool {
	return !now.Before(h.until.Add(-c.ttlOf(to, now) / 4))
}

// run is the computation of k with compute, in a turn, held (and stored
// on the shelf) when keep is set.
func (c *Cache) run(ctx context.Context, k key, to time.Time, compute func(context.Context) (*held, error), keep bool) func() (any, error) {
	turns := c.turns
	if !keep {
		turns = c.others
	}
	return func() (any, error) {
		turns <- struct{}{}
		defer func() { <-turns }()
		c.computed.Add(1)
		// One caller hanging up must not fail the others waiting on it,
		// nor a refresh in the background.
		ctx := context.WithoutCancel(ctx)
		h, err := compute(ctx)
		if err != nil {
			return nil, err
		}
		now := c.now()
		h.until = now.Add(c.ttlOf(to, now))
		if keep {
			if !k.themes {
				h.enc = encode(h.board)
				h.size = sizeOf(h.board, h.enc)
			}
			c.keep(k, h)
			c.shelve(ctx, k, h)
		}
		return h, nil
	}
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
	c.add(k, h)
}

// add is keep with c.mu held.
func (c *Cache) add(k key, h *held) {
	c.held.Remove(k) // the board it replaces, its bytes with it
	if h.size > c.budget {
		return
	}
	c.gens++
	h.gen = c.gens
	c.held.Add(k, h)
	c.bytes += h.size
	c.evict()
}
