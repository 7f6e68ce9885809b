package board

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/haocha/haocha/internal/clocktest"
	"github.com/haocha/haocha/internal/index"
)

// bigBoard is a board of n members scored as the demo's are: stars,
// dimensions, tags, transactions and orders, so that every map of an
// entry is filled.
func bigBoard(n int) Board {
	def := index.V1()
	dims := []string{"accuracy", "efficiency", "convenience", "innovation"}
	counts, names := map[string]index.Counts{}, map[string]string{}
	var city index.Counts
	for i := range n {
		code := fmt.Sprintf("H310101-%02d-W%02d-%02d", i/1000, i/10%100, i%10)
		c := index.Counts{N: int64(i % 60), Stars: [5]int64{int64(i % 3), 1, 0, int64(i % 7), int64(i%60 - i%3 - i%7 - 1)},
			Transactions: int64(i % 9), Unrated: int64(i % 4), Linked: int64(i % 5),
			ChannelReviews: map[string]int64{"window": 3, "app": 1},
			DimensionSum:   map[string]int64{}, DimensionCount: map[string]int64{},
			Tags:   map[string]int64{"attitude": int64(i % 3), "slow": 1},
			Orders: index.OrderCounts{WithDue: int64(i % 3), RepliedOnTime: int64(i % 2)}}
		c.ActiveStars = c.Stars
		for _, d := range dims {
			c.DimensionSum[d], c.DimensionCount[d] = 4*c.N, c.N
		}
		counts[code], names[code] = c, "工位 "+code
		city.Add(c)
	}
	r := index.Rank(index.Entries(counts, names, city, def, dims))
	return Board{Scope: index.Workstation, Ranked: r.Ranked, Insufficient: r.Insufficient}
}

func heapNow() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// The cache's budget is only as good as its accounting: the size it gives
// a held board and its encoded answer is at least what they take on the
// heap, and not so much more that the budget holds half what it could.
func TestSizeOfDoesNotUndercount(t *testing.T) {
	for _, n := range []int{50, 5000} {
		before := heapNow()
		b := bigBoard(n)
		enc := encode(b)
		after := heapNow()
		size := sizeOf(b, enc)
		runtime.KeepAlive(b)
		runtime.KeepAlive(enc)
		took := int64(after) - int64(before)
		t.Logf("%d members: %d bytes on the heap, %d accounted", n, took, size)
		if size < took {
			t.Errorf("%d members: accounted %d bytes, the heap grew %d", n, size, took)
		}
		if n > 1000 && size > 2*took {
			t.Errorf("%d members: accounted %d bytes, more than twice the %d the heap grew", n, size, took)
		}
	}
}

func TestStandardPeriods(t *testing.T) {
	today := day("2026-08-05").Add(15 * time.Hour)
	tests := []struct {
		from, to string
		want     bool
		why      string
	}{
		{"2026-07-07", "2026-08-05", true, "the last 30 days"},
		{"2026-07-06", "2026-08-04", false, "30 days ending yesterday"},
		{"2026-07-01", "2026-07-31", true, "last month"},
		{"2026-08-01", "2026-08-05", true, "this month to today"},
		{"2026-08-01", "2026-08-31", true, "this month whole"},
		{"2026-08-01", "2026-08-04", false, "this month to yesterday"},
		{"2026-07-01", "2026-09-30", true, "this quarter whole"},
		{"2026-07-01", "2026-08-05", true, "this quarter to today"},
		{"2026-04-01", "2026-06-30", true, "last quarter"},
		{"2026-05-01", "2026-07-31", false, "three months across quarters"},
		{"2025-01-01", "2025-12-31", true, "last year"},
		{"2026-01-01", "2026-08-05", true, "this year to today"},
		{"1990-02-01", "1990-02-28", true, "a month long ago"},
		{"2026-09-01", "2026-09-30", false, "next month"},
		{"2026-07-02", "2026-07-31", false, "a month but a day"},
		{"2026-07-21", "2026-07-21", false, "one day"},
	}
	for _, tt := range tests {
		if got := Standard(day(tt.from), day(tt.to), today); got != tt.want {
			t.Errorf("%s..%s (%s): standard %v, want %v", tt.from, tt.to, tt.why, got, tt.want)
		}
	}
}

// A board of a period that is not standard is computed for its request
// and not held; identical requests at once share the computation.
func TestOtherPeriodsAreComputedEachTime(t *testing.T) {
	src := &source{}
	c := New(src.compute, time.Minute, clockFrom(day("2026-08-05").Add(10*time.Hour)))
	ctx := context.Background()
	for range 3 {
		if _, err := c.Page(ctx, index.District, "", day("2026-07-21"), day("2026-07-21"), nil, 10); err != nil {
			t.Fatal(err)
		}
	}
	if len(src.calls) != 3 || c.held.Len() != 0 || c.Bytes() != 0 {
		t.Errorf("%d computations, %d boards held (%d bytes); want 3 and none held", len(src.calls), c.held.Len(), c.Bytes())
	}
}

// The held boards stay within the budget: beyond it the least recently
// used goes, and a board bigger than the whole budget is served but not
// held.
func TestCacheEvictsTheLeastRecentlyUsedBeyondItsBudget(t *testing.T) {
	members := map[index.Scope]int{index.District: 200, index.Hall: 200, index.Item: 200, index.Workstation: 5000}
	boards := map[index.Scope]Board{}
	for sc, n := range members {
		boards[sc] = bigBoard(n)
	}
	var mu sync.Mutex
	var calls []index.Scope
	src := func(ctx context.Context, sc index.Scope, parent string, from, to, _ time.Time) (Board, error) {
		mu.Lock()
		calls = append(calls, sc)
		mu.Unlock()
		b := boards[sc]
		b.Scope, b.From, b.To = sc, from, to
		return b, nil
	}
	c := New(src, time.Minute, clockFrom(day("2026-08-05").Add(10*time.Hour)))
	small := sizeOf(boards[index.District], encode(boards[index.District]))
	c.SetBudget(2*small + small/2) // room for two small boards
	ctx := context.Background()
	from, to := Recent(day("2026-08-05"))
	get := func(sc index.Scope) {
		t.Helper()
		if _, err := c.Board(ctx, sc, from, to); err != nil {
			t.Fatal(err)
		}
	}
	get(index.District)
	get(index.Hall)
	get(index.District) // the hall is now the least recently used
	get(index.Item)     // and goes
	get(index.District)
	get(index.Workstation) // too big to hold
	get(index.Workstation)
	get(index.Hall)
	want := fmt.Sprint([]index.Scope{index.District, index.Hall, index.Item, index.Workstation, index.Workstation, index.Hall})
	if got := fmt.Sprint(calls); got != want {
		t.Errorf("computed %s, want %s", got, want)
	}
	if c.Bytes() > 2*small+small/2 {
		t.Errorf("%d bytes held, over the budget of %d", c.Bytes(), 2*small+small/2)
	}
}

// TestThousandPeriodsStayInBudget asks for boards of 2,000 members over
// 1,000 distinct periods, eight callers at once, half of them standard
// (months going back 40 years) and half not: the heap after the last stays
// within the budget and a margin of 16 MiB (the runtime, the test's own
// template board, and the accounting's rounding), where holding every
// board would take some 7 GB.
func TestThousandPeriodsStayInBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("computes 1,000 boards of 2,000 members")
	}
	template := bigBoard(2000)
	src := func(ctx context.Context, sc index.Scope, parent string, from, to, _ time.Time) (Board, error) {
		// A fresh copy each time, as a computation makes.
		b := Board{Scope: sc, From: from, To: to, Ranked: append([]index.Entry(nil), template.Ranked...),
			Insufficient: append([]index.Entry(nil), template.Insufficient...)}
		for i := range b.Ranked {
			b.Ranked[i].Name = fmt.Sprint(b.Ranked[i].Name, from.Format(time.DateOnly)) // strings of its own
		}
		return b, nil
	}
	const budget = 32 << 20
	const margin = 16 << 20
	today := day("2026-08-05")
	c := New(src, time.Minute, clockFrom(today.Add(10*time.Hour)))
	c.SetBudget(budget)
	base := heapNow()
	periods := make(chan [2]time.Time)
	go func() {
		first := time.Date(2026, 8, 1, 0, 0, 0, 0, today.Location())
		for i := range 500 {
			m := first.AddDate(0, -i, 0)
			periods <- [2]time.Time{m, m.AddDate(0, 1, -1)} // a standard month
			periods <- [2]time.Time{today.AddDate(0, 0, -i-40), today.AddDate(0, 0, -i%30)}
		}
		close(periods)
	}()
	var wg sync.WaitGroup
	var peak uint64
	var peakMu sync.Mutex
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			n := 0
			for p := range periods {
				body, err := c.Page(context.Background(), index.Workstation, "", p[0], p[1], nil, DefaultPage)
				if err != nil || len(body) < 1000 {
					errs <- fmt.Errorf("%v: %d bytes, %v", p, len(body), err)
					return
				}
				if n++; n%50 == 0 {
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					peakMu.Lock()
					peak = max(peak, m.HeapInuse)
					peakMu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	after := heapNow()
	grew := int64(after) - int64(base)
	t.Logf("heap %d MiB before, %d MiB after 1,000 periods (grew %d MiB; in use at most %d MiB while running); cache holds %d MiB of %d",
		base>>20, after>>20, grew>>20, peak>>20, c.Bytes()>>20, budget>>20)
	if c.Bytes() > budget {
		t.Errorf("the cache accounts %d bytes, over its budget of %d", c.Bytes(), budget)
	}
	if grew > budget+margin {
		t.Errorf("after 1,000 periods the heap grew %d MiB, over the budget of %d MiB and margin of %d MiB", grew>>20, budget>>20, margin>>20)
	}
	runtime.KeepAlive(template)
}

// The board of a period that ended before today is shown ten times
// longer than one running to today: no review lands in it any more. Past
// its TTL a board is served stale while it is computed again in the
// background (the rule was: computed again before its visitor is
// answered), so each computation below is awaited before the next look.
func TestClosedPeriodsAreHeldLonger(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &source{}
		clock := clocktest.New(day("2026-08-05").Add(10 * time.Hour))
		c := New(src.compute, time.Minute, clock.Now)
		ctx := context.Background()
		get := func(from, to string) {
			t.Helper()
			if _, err := c.Board(ctx, index.District, day(from), day(to)); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
		}
		get("2026-07-01", "2026-07-31")
		get("2026-08-01", "2026-08-05")
		clock.Add(2 * time.Minute)
		get("2026-07-01", "2026-07-31")
		get("2026-08-01", "2026-08-05")
		clock.Add(9 * time.Minute)
		get("2026-07-01", "2026-07-31")
		want := "[district 2026-07-01..2026-07-31 district 2026-08-01..2026-08-05 district 2026-08-01..2026-08-05 district 2026-07-01..2026-07-31]"
		if got := fmt.Sprint(src.calls); got != want {
			t.Errorf("computed %s, want %s (last month held 10 minutes, this month 1)", got, want)
		}
	})
}

// Boards of other periods are computed one at a time, in a turn of their
// own: a caller asking for a new period each time holds one such board in
// memory at once, and takes no turn from the boards the pages draw.
func TestOtherPeriodsComputeOneAtATimeBesideTheStandardOnes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		running := map[bool]int{} // by standard
		gate := make(chan struct{})
		today := day("2026-08-05").Add(10 * time.Hour)
		src := func(ctx context.Context, sc index.Scope, parent string, from, to, _ time.Time) (Board, error) {
			std := Standard(from, to, today)
			mu.Lock()
			running[std]++
			mu.Unlock()
			<-gate
			return Board{Scope: sc, From: from, To: to}, nil
		}
		c := New(src, time.Minute, func() time.Time { return today })
		ctx := context.Background()
		from, to := Recent(today)
		var wg sync.WaitGroup
		for _, sc := range []index.Scope{index.City, index.District, index.Agency, index.Hall, index.Item} {
			wg.Go(func() { c.Board(ctx, sc, from, to) })
		}
		for i := range 3 {
			wg.Go(func() {
				c.Page(ctx, index.Workstation, "", day("2026-07-01").AddDate(0, 0, i), day("2026-07-20"), nil, 10)
			})
		}
		synctest.Wait()
		mu.Lock()
		got := fmt.Sprint(running[true], running[false])
		mu.Unlock()
		if got != fmt.Sprint(Computing, ComputingOthers) {
			t.Errorf("computing %s boards of standard and other periods at once, want %d and %d", got, Computing, ComputingOthers)
		}
		close(gate)
		wg.Wait()
		if c.held.Len() != 5 {
			t.Errorf("%d boards held, want the 5 of the standard period alone", c.held.Len())
		}
	})
}
