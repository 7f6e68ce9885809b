package store

import (
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/review"
)

// The review limits (a device's reviews in ten minutes, a network's in an
// hour) are counted from the windows this process keeps in memory
// (fraudwindows.go), not read from the reviews table inside every group
// commit: that read needed an index on each mark, which cost a written
// page per review, and on PostgreSQL two statements a group, one taking
// an advisory lock per mark.
//
// Within a process a count is exact: a group's decision counts what the
// windows hold, the reviews of other groups decided but not committed
// yet (pending), and the reviews before it in its own group; a review
// counts once committed, and a refused one never. Other processes' reviews
// reach the windows through the follower, which reads the reviews stored
// since its last read once a second (followReviews), and on SQLite through
// each group's own read as well (followStmt). On PostgreSQL that read would
// cost every group a round trip before its writes, so there a process sees
// another's reviews at most followEvery plus one group's commit late: with
// P processes behind one database a mark may get past its limit by what
// the other processes stored for it within that last second or so, each
// at most the limit (each counts its own reviews exactly), and so never by
// more than (P-1) times the limit within one window (docs/operating.md,
// TestRateLimitAcrossProcesses). A process that starts reads the last windowKeep of
// reviews once (loadWindows): a restart forgets nobody's count.
//
// The windows keep a bounded number of keys (maxWindowKeys). A device or
// network key evicted while its reviews still count is not forgotten: its
// arrivals go into a count-min sketch by minute (evicted), which can only
// count a mark more than it gave, never less. An attacker who rotates
// marks to push a flooding mark out of the windows finds it counted by
// the sketch, and one who rotates them to pass as new meets the limit it
// cannot rotate (the network's, or the detectors that hold by unit and
// district).

// pendKey is one mark's pending reviews, by window kind.
type pendKey struct {
	kind windowKind
	mark string
}

// limitKinds are the window kinds the review limits count by.
var limitKinds = [...]windowKind{byDevice, byNetwork}

// rate is the reviews of mark in kind k after from (ms), committed or
// pending, as a limit counts them: a ring that is full within the window
// counts as maxRingCap, so that a limit above it refuses rather than
// lets through what it cannot count.
func (w *windows) rate(k windowKind, mark string, from int64) int {
	const never = int64(1) << 62
	n := w.count(k, mark, from, never)
	if n >= maxRingCap {
		return 1 << 30
	}
	n += w.pending[pendKey{k, mark}]
	if e := w.tables[k].evicted; e != nil {
		n += e.count(mark, from)
	}
	return n
}

// pend adds delta to the pending reviews of rs's marks.
func (w *windows) pend(rs []*review.Review, delta int) {
	if w.pending == nil {
		w.pending = map[pendKey]int{}
	}
	for _, r := range rs {
		a := arrivalOf(r)
		for _, k := range limitKinds {
			m := a.key(k)
			if m == "" {
				continue
			}
			key := pendKey{k, m}
			if n := w.pending[key] + delta; n > 0 {
				w.pending[key] = n
			} else {
				delete(w.pending, key)
			}
		}
	}
}

// unpend takes rs, whose group failed, out of the pending reviews.
func (w *windows) unpend(rs []*review.Review) {
	if w == nil || len(rs) == 0 {
		return
	}
	w.mu.Lock()
	w.pend(rs, -1)
	w.mu.Unlock()
}

// rateWindows are the screening windows, loaded, their device and network
// rings keeping at least what lim counts: a limit larger than the rings
// kept when they were loaded loads them again, once, so that no count is
// short by what the smaller rings dropped.
func (s *Store) rateWindows(ctx context.Context, lim review.RateLimit) (*windows, error) {
	w := &s.windows
	w.mu.Lock()
	grew := w.tables[byDevice].need(lim.Max)
	grew = w.tables[byNetwork].need(lim.AddressMax) || grew
	var err error
	if w.loaded && grew {
		if err = s.loadWindows(ctx, w); err != nil {
			w.loaded = false // loaded again at the next use
		}
	}
	w.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("load rate windows: %w", err)
	}
	return s.screenWindows(ctx)
}

// An evicted sketch is 7 slots of ten minutes (the longest limit
// window, an hour, and the slot it starts in) of 4 rows of 65,536
// counts, 3.5 MB, made at a kind's first eviction. Its cells are wide
// rather than its time fine: a city's honest devices evicted into it,
// 50,000 in ten minutes, put less than one review in a cell in each row,
// where the device limit is 30; a slot counts its whole ten minutes, so an
// evicted mark is counted up to ten minutes longer than its window.
const (
	sketchDepth = 4
	sketchWidth = 1 << 16
	sketchSlots = 7
	sketchSlot  = int64(10 * 60_000) // ms
)

// sketch counts evicted arrivals by mark and ten minutes, never under.
type sketch struct {
	slot  [sketchSlots]int64 // the ten minutes each slot counts, from 1; 0 for none
	cells [sketchSlots][sketchDepth][sketchWidth]uint16
}

// sketchCells are the cells of mark, one a row.
func sketchCells(mark string) [sketchDepth]uint32 {
	// FNV-1a, then a row's cell from its two halves (Kirsch-Mitzenmacher).
	h := uint64(14695981039346656037)
	for i := 0; i < len(mark); i++ {
		h = (h ^ uint64(mark[i])) * 1099511628211
	}
	a, b := uint32(h), uint32(h>>32)|1
	var out [sketchDepth]uint32
	for i := range out {
		out[i] = (a + uint32(i)*b) % sketchWidth
	}
	return out
}

// add counts one arrival of mark at ms. An arrival older than what its
// slot counts now is counted in the newer ten minutes, and a full cell
// stays full: more, never less.
func (e *sketch) add(mark string, at int64) {
	n := at/sketchSlot + 1
	i := n % sketchSlots
	if e.slot[i] < n {
		e.slot[i] = n
		e.cells[i] = [sketchDepth][sketchWidth]uint16{}
	}
	for row, c := range sketchCells(mark) {
		if e.cells[i][row][c] < 1<<16-1 {
			e.cells[i][row][c]++
		}
	}
}

// count is the arrivals of mark in the ten minutes that hold from (ms)
// and those after: the whole of the first, more rather than less.
func (e *sketch) count(mark string, from int64) int {
	first := from/sketchSlot + 1
	least := -1
	for row, c := range sketchCells(mark) {
		n := 0
		for i, slot := range e.slot {
			if slot >= first {
				n += int(e.cells[i][row][c])
			}
		}
		if least < 0 || n < least {
			least = n
		}
	}
	return max(least, 0)
}

// groupFollowPage bounds the reviews of other processes a group reads:
// the follower reads the rest within the second.
const groupFollowPage = " ORDER BY 1 LIMIT 1024"

// followStmt is the statement, read with a group's other reads, that
// appends to got the arrivals of the reviews stored after the last this
// process has seen: by other processes, as the follower reads them once
// a second. Read inside the group's transaction, it makes the limits
// exact across the processes of a SQLite database (one writer) at no
// round trip. PostgreSQL groups do without it: there it was a round trip
// of its own, and still left out what other processes commit while a
// group is on its way.
func (s *Store) followStmt(w *windows, got *[]arrival) stmt {
	w.mu.Lock()
	after := w.follow.max
	w.mu.Unlock()
	q, n := s.followFrom(followAfter, groupFollowPage)
	return stmt{q: q, args: argsTimes([]any{after}, n), row: func(scan func(...any) error) error {
		a, err := scanArrival(scan)
		if err == nil {
			*got = append(*got, a)
		}
		return err
	}}
}
