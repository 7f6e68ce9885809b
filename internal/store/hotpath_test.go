package store

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
)

// A ring counts by binary search over its slots in order of time: with
// arrivals out of order (groups of concurrent requests, another process's
// reviews followed a second late), while it fills, grows past its
// capacity and overwrites, every count is the one a pass over its slots
// gives, and a ring that overwrote keeps the newest arrivals.
func TestRingCountsInOrderOfTime(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, capacity := range []int{1, 8, 30, 300} {
		tb := &table{rings: map[string]*ring{}, cap: capacity}
		r := tb.ring("k", true)
		var all []int64
		for i := range 3000 {
			// Mostly in order, a few a little late, now and then one far
			// late; ties too.
			at := int64(i * 10)
			switch rnd.IntN(10) {
			case 0:
				at -= rnd.Int64N(100)
			case 1:
				at -= rnd.Int64N(30_000)
			case 2:
				at = all[len(all)-1]
			}
			all = append(all, at)
			// Some open, so that the ring grows past its capacity while
			// its oldest is open, then overwrites once its room is gone.
			tb.add(r, at, int64(i+1), rnd.IntN(2) == 0)
			if i == 1000 {
				tb.need(capacity + 5) // a rule asks for more
			}
			n := len(r.slots)
			for j := 1; j < n; j++ {
				if a, b := r.slots[(r.next+j-1)%n].at, r.slots[(r.next+j)%n].at; a > b {
					t.Fatalf("cap %d, arrival %d: slot %d at %d after %d", capacity, i, j, b, a)
				}
			}
			for range 3 {
				from := at - rnd.Int64N(2000)
				to := from + rnd.Int64N(3000)
				if got, want := r.count(from, to), passCount(r, from, to); got != want {
					t.Fatalf("cap %d, arrival %d: count(%d, %d) = %d, a pass over the slots %d", capacity, i, from, to, got, want)
				}
			}
		}
		if capacity >= 300 {
			continue
		}
		// Full: what it keeps is the newest by time.
		kept := len(r.slots)
		if got, want := r.count(-1<<62, 1<<62), kept; got != want {
			t.Fatalf("cap %d: count of all %d, slots %d", capacity, got, want)
		}
		oldest := r.slots[r.next].at
		newer := 0
		for _, at := range all {
			if at > oldest {
				newer++
			}
		}
		if newer >= kept {
			t.Errorf("cap %d: %d arrivals are later than the oldest kept (%d), more than the %d kept", capacity, newer, oldest, kept)
		}
	}
}

// passCount is ring.count as a pass over every slot.
func passCount(r *ring, from, to int64) int {
	n := 0
	for _, s := range r.slots {
		if s.at > from && s.at < to {
			n++
		}
	}
	return n
}

// The day's kind kept by kindAt is the opening's kind of every time,
// across midnights in the city's zone, forwards and back.
func TestKindAtIsTheDaysKind(t *testing.T) {
	var b baseline
	rnd := rand.New(rand.NewPCG(3, 4))
	// A Friday evening to the Monday after, in the city.
	start := time.Date(2026, 12, 4, 20, 0, 0, 0, calendar.Zone)
	for range 5000 {
		at := start.Add(time.Duration(rnd.Int64N(int64(80 * time.Hour))))
		if rnd.IntN(4) == 0 {
			at = at.Truncate(time.Hour).Add(time.Duration(rnd.IntN(3)-1) * time.Millisecond) // near midnight in UTC+8 too
		}
		at = at.In(time.UTC)
		if got, want := b.kindAt(at), b.opening.Kind(at); got != want {
			t.Fatalf("%v: kind %v, the opening says %v", at, got, want)
		}
	}
}

// A word boxed once is the string it boxes, and a string of no column of
// words is boxed as it is.
func TestBoxedWordsAreTheirStrings(t *testing.T) {
	for s, v := range boxedWords {
		if v != any(s) || word(s) != any(s) {
			t.Errorf("%q boxed as %#v", s, v)
		}
	}
	for _, s := range []string{"", "pc ", "unknown", "SHGA-001"} {
		if word(s) != any(s) {
			t.Errorf("%q boxed as %#v", s, word(s))
		}
	}
	if len(boxedWords) < len(review.Channels)+2 {
		t.Errorf("%d words boxed: not every channel and reviewer kind", len(boxedWords))
	}
}

// BenchmarkRingCount is a count in a unit's full ring (maxRingCap
// slots), by binary search (count) and by a pass over the slots, as
// before:
//
//	go test ./internal/store/ -run '^$' -bench RingCount
func BenchmarkRingCount(b *testing.B) {
	tb := &table{rings: map[string]*ring{}, cap: maxRingCap}
	r := tb.ring("unit", true)
	for i := range 3 * maxRingCap {
		tb.add(r, int64(i*100), int64(i+1), true)
	}
	to := int64(3 * maxRingCap * 100)
	from := to - 60_000
	b.Run("search", func(b *testing.B) {
		for range b.N {
			r.count(from, to)
		}
	})
	b.Run("pass", func(b *testing.B) {
		for range b.N {
			passCount(r, from, to)
		}
	})
}
