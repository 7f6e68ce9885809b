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
	"sync/atomic"
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
type monthCounts struct {
	// version counts this process's committed writes but the folds of
	// this month's reviews and others that change no count (see
	// tx.uncounted): counts taken before the last
	// one are not used.
	version atomic.Int64
	mu      sync.Mutex
	held    map[monthKey]*monthEntry
	members int // over every entry held
}

type monthKey struct {
	scope index.Scope
	month int // its first day, as dayOf
}

type monthEntry struct {
	counts  map[string]index.Counts
	city    index.Counts
	version int64
	until   time.Time // wall clock
}

// wrote notes a committed write of this process.
func (s *Store) wrote() { s.months.version.Add(1) }

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

// countsOf is the counts of sc's members in the whole month seg, and the
// city's when city: kept ones when written after this process's last
// write and less than monthCountsLife ago.
func (s *Store) countsOf(ctx context.Context, sc index.Scope, seg segment) (*monthEntry, error) {
	k := monthKey{scope: sc, month: dayOf(seg.start)}
	m := &s.months
	v := m.version.Load()
	m.mu.Lock()
	e := m.held[k]
	m.mu.Unlock()
	if e != nil && e.version == v && time.Now().Before(e.until) {
		return e, nil
	}
	e = &monthEntry{version: v, until: time.Now().Add(monthCountsLife)}
	var err error
	if sc == index.City {
		e.counts, err = s.countPeriod(ctx, sc, seg.start, seg.end, s.Now(), nil)
		e.city = e.counts["city"]
	} else {
		e.counts, err = s.countPeriod(ctx, sc, seg.start, seg.end, s.Now(), &e.city)
	}
	if err != nil {
		return nil, err
	}
	m.keep(k, e)
	return e, nil
}

// keep holds e under k, making room within maxMonthMembers: entries of
// an older version or past their life first, then any.
func (m *monthCounts) keep(k monthKey, e *monthEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
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
		if old.version != e.version || !now.Before(old.until) {
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
