package store

import (
	"fmt"
	"testing"
	"time"
)

// A mark evicted from the windows, the flood's among heavier ones, takes
// its ids with it: the windows then say they do not know its burst whole,
// before it comes back and after (for what came before it went), so that
// its burst is held by its condition on reviews, not short by id. A mark
// never evicted is still known whole.
func TestBurstOfEvictedMarkHeldWhole(t *testing.T) {
	w := testWindows(30)
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC).UnixMilli()
	id := int64(0)
	arrive := func(dev string, at int64) {
		id++
		w.add(arrival{id: id, at: at, client: dev})
	}
	for i := range 5 {
		arrive("flood", start+int64(i))
	}
	t0 := w.tables[byDevice]
	if ids, whole := t0.open("flood", start-1, start+10); len(ids) != 5 || !whole {
		t.Fatalf("before any eviction the flood's open ids are %v (whole %v), want its 5", ids, whole)
	}
	// Heavier devices, six reviews each, past the bound.
	for i := range maxWindowKeys {
		for j := range 6 {
			arrive(fmt.Sprintf("device-%d", i), start+100+int64(j))
		}
	}
	dev := &w.tables[byDevice]
	if dev.rings["flood"] != nil {
		t.Fatal("the flood's key was not evicted: the test does not reach the bound")
	}
	from, to := start-1, start+1000
	if _, whole := dev.open("flood", from, to); whole {
		t.Error("an evicted mark's burst is said to be known whole")
	}
	arrive("flood", start+200)
	if ids, whole := dev.open("flood", from, to); whole || len(ids) != 1 {
		t.Errorf("the flood back after eviction names %v, whole %v; want its new review and not whole", ids, whole)
	}
	if _, whole := dev.open("flood", dev.dropped, to); !whole {
		t.Error("after its eviction the flood's key is not known whole")
	}
	arrive("newcomer", start+300)
	if ids, whole := dev.open("newcomer", from, to); !whole || len(ids) != 1 {
		t.Errorf("a mark never evicted names %v, whole %v; want its review, whole", ids, whole)
	}
	// Held by its condition, the span is known from then on.
	rg := dev.rings["flood"]
	late := map[int64]string{}
	rg.holding(span{from: from, to: to, reason: "burst"}, map[int64]bool{}, true, late)
	if _, whole := dev.open("flood", from, to); !whole {
		t.Error("a burst held by its condition is still not known whole")
	}
	// What the statement did not name by id is held late too: a review
	// that reached the windows while the statement was on its way. One
	// the condition held already is left as it is by the late statement.
	if len(late) != 1 {
		t.Errorf("the review the statement did not name is held late %v, want once", late)
	}
}

// testWindows are windows as loaded, their rings keeping capacity
// arrivals, the marks' evicted arrivals kept in sketches.
func testWindows(capacity int) *windows {
	w := &windows{}
	for k := range w.tables {
		w.tables[k] = table{rings: map[string]*ring{}, cap: capacity, spill: windowKind(k) == byDevice || windowKind(k) == byNetwork}
	}
	return w
}
