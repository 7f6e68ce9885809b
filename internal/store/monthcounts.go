package store

// Index counts of long periods. A period that is not a standard one (a
// year from any day, say) has no board in the cache and was counted for
// each request from its first day to its last: every work order and
// transaction of the year read again. Instead such a period is cut into
// its whole calendar months that have ended, whose counts this process
// keeps for a while (counts add up: a period's are the sum of its
// months'), and the days at either edge, counted as before.

import (
	"context"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/index"
)

const (
	// monthCountsLife is how long a month's counts are used without a
	// write in this process that could change them (a city's new reviews
	// cannot: they are of today): what another process writes shows after
	// it at most, as on the boards of the periods that have ended
	// (board.ClosedLonger times board.DefaultTTL).
	monthCountsLife = 10 * time.Minute
	// maxMonthMembers bounds the members whose month counts are kept, all
	// scopes and months together: a few tens of MB. The months of a scope
	// larger than that are counted for each request, as any period was.
	maxMonthMembers = 1 << 15
)

// monthCounts are the kept counts of whole months, by scope and month.
//
// The rule, here alone: a month that ended before an instant had its
// orders due and its rating windows closed by then, so its counts at any
// later instant differ only by a write. Kept counts carry the instant
// they count as of and serve any count at that instant or later; every
// write of this process that can change an ended month's counts drops
// them all (dropMonths), and a count is kept only when no write was
// dropped after its instant or while it ran.
type monthCounts struct {
	mu      sync.Mutex
	held    map[monthKey]*monthEntry
	members int // over every entry held
	drops   int64
	dropped time.Time // the store's instant of the last drop
}

type monthKey struct {
	scope index.Scope
	month int // its first day, as dayOf
}

type monthEntry struct {
	counts map[string]index.Counts
	city   index.Counts
	asOf   time.Time // the store's instant counted as of
	until  time.Time // wall clock
}

// dropMonths drops the kept month counts: a write of this process that
// may change an ended month's counts has committed. Writes that cannot
// (a fold of this month's reviews, the scheduler's lease, themes: see
// tx.uncounted, rollups.reach) leave them.
func (s *Store) dropMonths() {
	s.changed()
	m := &s.months
	m.mu.Lock()
	defer m.mu.Unlock()
	m.held, m.members = nil, 0
	m.drops++
	m.dropped = s.Now()
}

// monthOf is the first day of the month of t, as dayOf: a write that
// reaches only reviews of that day or after leaves the counts of the
// months that ended before it as they were.
func monthOf(t time.Time) int { return dayOf(t)/100*100 + 1 }

// segment is a part of a period: [start, end), a whole ended month when
// month is set.
type segment struct {
	start, end time.Time
	month      bool
}

// segments cuts the days [start, end) into the calendar months within it
// that ended before today and the days at its edges. A period with no
// such month, or that is one of them, is one segment.
func segments(start, end, today time.Time) []segment {
	var out []segment
	at := start
	for at.Before(end) {
		first := time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, at.Location())
		next := first.AddDate(0, 1, 0)
		if at.Equal(first) && !next.After(end) && !next.After(today) {
			out = append(out, segment{start: at, end: next, month: true})
			at = next
			continue
		}
		stop := next
		if end.Before(stop) {
			stop = end
		}
		if n := len(out); n > 0 && !out[n-1].month {
			out[n-1].end = stop
		} else {
			out = append(out, segment{start: at, end: stop})
		}
		at = stop
	}
	if len(out) == 1 {
		out[0].month = false
	}
	return out
}

// countsOf is the counts of sc's members in the whole month seg as of
// at, and the city's when city: kept ones when counted as of at or
// before it, less than monthCountsLife ago.
func (s *Store) countsOf(ctx context.Context, sc index.Scope, seg segment, at time.Time) (*monthEntry, error) {
	k := monthKey{scope: sc, month: dayOf(seg.start)}
	m := &s.months
	m.mu.Lock()
	e, drops, dropped := m.held[k], m.drops, m.dropped
	m.mu.Unlock()
	if e != nil && !at.Before(e.asOf) && time.Now().Before(e.until) {
		return e, nil
	}
	e = &monthEntry{asOf: at, until: time.Now().Add(monthCountsLife)}
	var err error
	if sc == index.City {
		e.counts, err = s.countPeriod(ctx, sc, seg.start, seg.end, at, nil)
		e.city = e.counts["city"]
	} else {
		e.counts, err = s.countPeriod(ctx, sc, seg.start, seg.end, at, &e.city)
	}
	if err != nil {
		return nil, err
	}
	if !dropped.After(at) {
		m.keep(k, e, drops)
	}
	return e, nil
}

// keep holds e, counted after the drops-th drop, under k, making room
// within maxMonthMembers: entries past their life first, then any. A
// count a drop overtook is not kept.
func (m *monthCounts) keep(k monthKey, e *monthEntry, drops int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.drops != drops {
		return
	}
	if m.held == nil {
		m.held = map[monthKey]*monthEntry{}
	}
	if old := m.held[k]; old != nil {
		m.members -= len(old.counts)
		delete(m.held, k)
	}
	if len(e.counts) > maxMonthMembers {
		return
	}
	now := time.Now()
	for kk, old := range m.held {
		if !now.Before(old.until) {
			m.members -= len(old.counts)
			delete(m.held, kk)
		}
	}
	for kk, old := range m.held {
		if m.members+len(e.counts) <= maxMonthMembers {
			break
		}
		m.members -= len(old.counts)
		delete(m.held, kk)
	}
	m.held[k] = e
	m.members += len(e.counts)
}
