package store

import (
	"fmt"
	"testing"
	"time"
)

// TestWindowsStayInBound drives the worst case: more devices than
// maxWindowKeys on rotating networks, each flooding open arrivals (never
// held) far past what its kind keeps, within the hour a ring grows for.
// Each kind's rings may hold room for at most maxWindowKeys × cap slots
// plus maxGrownSlots, 16 bytes each (fraudwindows.go); before the growth
// bound each flooding device's ring alone grew to 256.
func TestWindowsStayInBound(t *testing.T) {
	w := testWindows(30)
	w.tables[byNetwork].need(300)
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC).UnixMilli()
	id := int64(0)
	for i := range maxWindowKeys + maxWindowKeys/4 {
		for range 200 {
			id++
			w.add(arrival{id: id, at: start + id/100, client: fmt.Sprintf("device-%d", i),
				net: fmt.Sprintf("net-%d", i/2), text: fmt.Sprintf("text-%d", i)})
		}
	}
	if w.tables[byDevice].grown == 0 || w.tables[byDevice].evicted == nil {
		t.Fatal("no device ring grew, or none was evicted: the test does not reach the bounds")
	}
	var total int64
	for k := range w.tables {
		tb := &w.tables[k]
		var b int64
		extra := 0
		for _, r := range tb.rings {
			b += int64(cap(r.slots)) * 16
			extra += r.extra
		}
		if extra != tb.grown || tb.grown > maxGrownSlots {
			t.Errorf("kind %d: grown %d, its rings' extra %d, bound %d", k, tb.grown, extra, maxGrownSlots)
		}
		bound := (int64(maxWindowKeys)*int64(max(tb.cap, 1)) + maxGrownSlots) * 16
		if b > bound {
			t.Errorf("kind %d: the rings hold room for %d bytes, over their bound of %d", k, b, bound)
		}
		total += b
	}
	t.Logf("the rings hold room for %.1f MiB", float64(total)/(1<<20))
}

// A burst of one device whose open arrivals the growth bound dropped is
// not named whole by id: the windows say so, and its hold falls back to
// its condition, which holds it all; held so, the span is known whole.
func TestBurstDroppedByGrowthBoundHeldWhole(t *testing.T) {
	w := testWindows(30)
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC).UnixMilli()
	id := int64(0)
	dev := &w.tables[byDevice]
	dev.grown = maxGrownSlots // other keys took the growth
	for range 100 {
		id++
		w.add(arrival{id: id, at: start + id, client: "flood"})
	}
	from, to := start, start+1000
	ids, whole := dev.open("flood", from, to)
	if whole || len(ids) != 30 {
		t.Fatalf("the flood's ring names %d ids, whole %v; want its last 30, not whole", len(ids), whole)
	}
	rg := dev.rings["flood"]
	if cap(rg.slots) > 30 {
		t.Errorf("the flood's ring grew to %d past the growth bound", cap(rg.slots))
	}
	late := map[int64]string{}
	named := map[int64]bool{}
	for _, i := range ids {
		named[i] = true
	}
	rg.holding(span{from: from, to: to, reason: "burst"}, named, true, late)
	if _, whole := dev.open("flood", from, to); !whole {
		t.Error("the burst held by its condition is still not known whole")
	}
	if len(late) != 0 {
		t.Errorf("held late %v, want none: the statement named every id the ring kept", late)
	}

	// With the growth free, the same flood is kept whole, by id.
	w = testWindows(30)
	for i := range 100 {
		w.add(arrival{id: int64(i + 1), at: start + int64(i+1), client: "flood"})
	}
	if ids, whole := w.tables[byDevice].open("flood", from, to); !whole || len(ids) != 100 {
		t.Errorf("a flood under the growth bound names %d ids, whole %v; want 100, whole", len(ids), whole)
	}
}
