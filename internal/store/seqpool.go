package store

import (
	"sync"
	"time"

	"github.com/haocha/haocha/internal/review"
)

// On PostgreSQL a group's review ids and work-order numbers come from
// sequences, and drawing them is a statement whose answer the inserts
// need: a round trip before the one that stores the group. Under load the
// committers draw ahead instead, a few dozen values at a time, and a group
// that finds enough drawn needs no round of its own for them: with nothing
// else to read first (no transaction, no later review), it is stored in
// one round trip, BEGIN, inserts and COMMIT together.
//
// A value drawn ahead is used within poolLife or never, so that the ids
// of one process stay close to the order they are committed in: another
// process's follower (fraudwindows.go) looks for an id it skipped for
// holeLife, longer than poolLife and a commit timeout together. A value
// never used is skipped, as one reserved for a refused review is. A quiet
// process, whose last draw was longer than poolLife ago, draws just what
// its group needs.

const (
	// poolAhead is how many values a busy process draws beyond a group's
	// need.
	poolAhead = 64
	// poolLife is how long a drawn value may wait for its review.
	poolLife = time.Second
)

// seqPool holds values drawn from one sequence and not yet used.
type seqPool struct {
	mu   sync.Mutex
	vals []int64
	at   time.Time // when the last draw was answered
}

// take returns n values drawn less than poolLife before now, and false
// when the pool has fewer.
func (p *seqPool) take(n int, now time.Time) ([]int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stale(now) {
		p.vals = nil
	}
	if n == 0 || len(p.vals) < n {
		return nil, n == 0
	}
	out := p.vals[:n:n]
	p.vals = p.vals[n:]
	return out, true
}

// ahead is how many values beyond its need a draw at now should take.
func (p *seqPool) ahead(now time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stale(now) {
		return 0
	}
	return poolAhead
}

// stale reports whether the last draw was poolLife or more before now:
// its values are not used, and the process draws only what it needs.
func (p *seqPool) stale(now time.Time) bool { return now.Sub(p.at) >= poolLife }

// put keeps vals, drawn at now, in place of what the pool held: the
// older values are skipped.
func (p *seqPool) put(vals []int64, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.vals, p.at = vals, now
}

// reserveGroup is reserve for a group of the group commit: on PostgreSQL
// from the values drawn ahead when there are enough, with no statement;
// otherwise a statement that draws what rs need and, when the process is
// busy, poolAhead more for the groups after it.
func (s *Store) reserveGroup(rs []*review.Review, n *numbers) []stmt {
	if !s.pg {
		return s.reserve(rs, n)
	}
	orders := 0
	for _, r := range rs {
		if r.NeedsWorkOrder() {
			orders++
		}
	}
	now := time.Now() // the wall clock: s.Now may be a test's or a benchmark's fixed one
	var out []stmt
	if ids, ok := s.idPool.take(len(rs), now); ok {
		n.ids = ids
	} else {
		out = append(out, drawStmt("reviews_id_seq", len(rs), &s.idPool, &n.ids, now))
	}
	if nums, ok := s.orderPool.take(orders, now); ok {
		n.orders = nums
	} else {
		out = append(out, drawStmt("work_order_number_seq", orders, &s.orderPool, &n.orders, now))
	}
	return out
}

// drawStmt draws need values of seq into *into, and as many more as p
// should hold ahead, which it keeps.
func drawStmt(seq string, need int, p *seqPool, into *[]int64, now time.Time) stmt {
	want := need + p.ahead(now)
	var got []int64
	return stmt{q: "SELECT nextval('" + seq + "') FROM generate_series(1, ?)", args: []any{want},
		row: func(scan func(...any) error) error {
			var v int64
			if err := scan(&v); err != nil {
				return err
			}
			if got = append(got, v); len(got) == want {
				*into = got[:need:need]
				p.put(got[need:], time.Now())
			}
			return nil
		}}
}
