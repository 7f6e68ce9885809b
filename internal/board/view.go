package board

// Views: the public pages as rendered, held beside the boards they draw
// within the same budget, so that a page asked for again costs no
// rendering (a hall page took some 20 ms of CPU to render, most of it
// template work over boards already held).
//
// A view is current while what it was built from is: every board and
// theme count it drew is still the one held (not computed again since,
// nor evicted, nor past what hold would serve), the caller's stamp of its
// other sources is the same, and it is younger than a TTL and of today.
// It is then served as the boards would be: a use of it is a use of each
// board it drew, which starts their computation in the background from the
// last quarter of their life. A view that drew a period that is not
// standard is never held: such boards are not either.

import (
	"context"
	"sync"
	"time"
	"unsafe"
)

// View is a rendered page as the cache holds it.
type View struct {
	Body []byte
	// Tag names Body: two views with the same tag have the same body.
	Tag string
}

// heldView is a view with what it was built from.
type heldView struct {
	View
	drew []drawnBoard
	// stamp is the caller's count of its other sources when it began.
	stamp int64
	built time.Time
}

// drawnBoard is a board (or an axis's theme counts) a view drew: which
// holding of it, and what computes it again.
type drawnBoard struct {
	k       key
	gen     uint64
	to      time.Time
	compute func(context.Context) (*held, error)
}

// drawing records what a view's build draws; it travels in the build's
// context.
type drawing struct {
	mu    sync.Mutex
	drew  []drawnBoard
	other bool // drew a period that is not standard
}

type drawingKey struct{}

func drawingOf(ctx context.Context) *drawing {
	d, _ := ctx.Value(drawingKey{}).(*drawing)
	return d
}

// drew notes, for the view being built in ctx if any, that it drew h,
// held under k.
func drew(ctx context.Context, k key, h *held, to time.Time, compute func(context.Context) (*held, error)) {
	d := drawingOf(ctx)
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.drew {
		if d.drew[i].k == k {
			d.drew[i].gen = min(d.drew[i].gen, h.gen) // either differs from what is held: not current
			return
		}
	}
	d.drew = append(d.drew, drawnBoard{k: k, gen: h.gen, to: to, compute: compute})
}

// drewOther notes, for the view being built in ctx if any, that it drew a
// period that is not standard.
func drewOther(ctx context.Context) {
	if d := drawingOf(ctx); d != nil {
		d.mu.Lock()
		d.other = true
		d.mu.Unlock()
	}
}

// View returns the view named name: the one held when it is current with
// stamp (the caller's count of whatever else the view reads, the same
// while that is unchanged), else what build makes of ctx, held when it
// drew only standard periods and is current still when built. The name
// must say everything the view depends on besides the boards and stamp.
func (c *Cache) View(ctx context.Context, name string, stamp int64, build func(context.Context) (View, error)) (View, error) {
	k := key{view: name}
	c.mu.Lock()
	h, ok := c.held.Get(k)
	var due []drawnBoard
	if ok {
		due, ok = c.current(h.page, stamp, c.now(), true)
	}
	c.mu.Unlock()
	if ok {
		for _, d := range due {
			c.refreshBehind(ctx, d.k, d.to, d.compute)
		}
		c.viewHits.Add(1)
		return h.page.View, nil
	}
	d := &drawing{}
	built := c.now()
	v, err := build(context.WithValue(ctx, drawingKey{}, d))
	if err != nil || d.other {
		return v, err
	}
	hv := &heldView{View: v, drew: d.drew, stamp: stamp, built: built}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.current(hv, stamp, c.now(), false); ok {
		c.add(k, &held{page: hv, size: viewSize(name, hv)})
	}
	return v, nil
}

// current reports whether v is current at now with stamp, and which of
// the boards it drew are due (in the last quarter of their life); use
// marks them used, for the order of eviction. The caller holds c.mu.
func (c *Cache) current(v *heldView, stamp int64, now time.Time, use bool) (due []drawnBoard, ok bool) {
	if v.stamp != stamp || now.Sub(v.built) >= c.ttl || dayOf(now) != dayOf(v.built) {
		return nil, false
	}
	for _, d := range v.drew {
		h, ok := c.held.Peek(d.k)
		if !ok || h.gen != d.gen || !now.Before(h.until.Add(StaleFor*c.ttlOf(d.to, now))) {
			return nil, false
		}
		if c.due(h, d.to, now) {
			due = append(due, d)
		}
	}
	if use {
		for _, d := range v.drew {
			c.held.Get(d.k)
		}
	}
	return due, true
}

// ViewHits is how many views have been served as held since the cache
// was made.
func (c *Cache) ViewHits() int64 { return c.viewHits.Load() }

// DropViews drops every view held, leaving the boards: the next request of
// each page builds it again.
func (c *Cache) DropViews() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range c.held.Keys() {
		if k.view != "" {
			c.held.Remove(k)
		}
	}
}

// viewSize is what a held view takes, erring high: its bytes, name and
// what it drew, and the structs around them.
func viewSize(name string, v *heldView) int64 {
	n := int64(unsafe.Sizeof(held{})+unsafe.Sizeof(*v)) + int64(cap(v.Body)+len(v.Tag)+2*len(name))
	for _, d := range v.drew {
		n += int64(unsafe.Sizeof(d)) + int64(len(d.k.parent)+len(d.k.from)+len(d.k.to)) + 64 // the closure
	}
	return n + n/8
}
