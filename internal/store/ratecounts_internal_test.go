package store

import (
	"fmt"
	"testing"
	"time"
)

// At their bound the windows evict device keys, but a limit never counts
// an evicted device short: an attacker who sends from many devices, some
// near the limit, to push them out of memory finds each counted at least
// as much as it gave; and the city's honest devices evicted with them are
// not counted anywhere near the default limit.
func TestEvictedDevicesNeverCountShort(t *testing.T) {
	w := testWindows(30)
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC).UnixMilli()
	gave := map[string]int{}
	const keys = 6 * maxWindowKeys
	// Devices near the limit (20 each, the limit 30) among one-review
	// devices, arriving interleaved over five minutes.
	for round := range 20 {
		for i := range keys {
			key := fmt.Sprintf("citizen-%d", i)
			if i%16 == 0 {
				key = fmt.Sprintf("attacker-%d", i)
			} else if round > 0 {
				continue
			}
			at := start + int64(round*keys+i)*300_000/int64(20*keys)
			w.add(arrival{id: int64(round*keys + i), at: at, client: key})
			gave[key]++
		}
	}
	if n := len(w.tables[byDevice].rings); n > maxWindowKeys {
		t.Fatalf("%d device keys kept, want at most %d", n, maxWindowKeys)
	}
	if w.tables[byDevice].evicted == nil {
		t.Fatal("nothing evicted: the test does not reach the bound")
	}
	from := start - 5*60_000
	short, honestOver := 0, 0
	for key, n := range gave {
		got := w.rate(byDevice, key, from)
		if got < n {
			short++
			if short < 5 {
				t.Errorf("%s gave %d reviews, counted %d", key, n, got)
			}
		}
		if n == 1 && got >= 30 {
			honestOver++
		}
	}
	if short > 0 {
		t.Errorf("%d devices counted short", short)
	}
	if honestOver > 0 {
		t.Errorf("%d one-review devices counted at the limit of 30", honestOver)
	}
}
