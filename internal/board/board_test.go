package board

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/clocktest"
	"github.com/haocha/haocha/internal/index"
)

// source is a fake Source that records the periods it computed and
// names each board's one entry after its call count.
type source struct {
	mu    sync.Mutex
	calls []string
	fail  error
	gate  chan struct{} // when set, computing waits for it
}

func (s *source) compute(ctx context.Context, sc index.Scope, parent string, from, to, _ time.Time) (Board, error) {
	if s.gate != nil {
		<-s.gate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return Board{}, s.fail
	}
	call := fmt.Sprintf("%s %s..%s", sc, from.Format(time.DateOnly), to.Format(time.DateOnly))
	if parent != "" {
		call = fmt.Sprintf("%s in %s %s..%s", sc, parent, from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	s.calls = append(s.calls, call)
	code := "310101"
	if sc == index.City {
		code = CityCode
	}
	return Board{Scope: sc, From: from, To: to, Ranked: []index.Entry{{Code: code, Name: fmt.Sprint(len(s.calls))}}}, nil
}

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, calendar.Zone)
	if err != nil {
		panic(err)
	}
	return t
}

// clockFrom is a clock that reads at first and runs with time.Now (which
// synctest moves).
func clockFrom(at time.Time) func() time.Time {
	start := time.Now()
	return func() time.Time { return at.Add(time.Since(start)) }
}

// A board is computed once for its TTL; past it, the rule is no longer
// "computed again before the next visitor is answered" but "served once
// more, stale, while it is computed again in the background": the next
// visitor gets the new one.
func TestCacheHoldsABoardForItsTTL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &source{}
		clock := clocktest.New(day("2026-08-05").Add(10 * time.Hour))
		c := New(src.compute, time.Minute, clock.Now)
		ctx := context.Background()
		get := func(sc index.Scope, from, to string) string {
			t.Helper()
			b, err := c.Board(ctx, sc, day(from), day(to))
			if err != nil {
				t.Fatal(err)
			}
			return b.Ranked[0].Name
		}
		if got := get(index.District, "2026-07-07", "2026-08-05"); got != "1" {
			t.Fatalf("first board from call %s", got)
		}
		clock.Add(44 * time.Second) // before the last quarter: no refresh
		if got := get(index.District, "2026-07-07", "2026-08-05"); got != "1" {
			t.Errorf("within the minute the board was computed again (call %s)", got)
		}
		if got := get(index.Agency, "2026-07-07", "2026-08-05"); got != "2" {
			t.Errorf("another scope shared the district board (call %s)", got)
		}
		if got := get(index.District, "2026-07-01", "2026-07-31"); got != "3" {
			t.Errorf("another period shared the board (call %s)", got)
		}
		synctest.Wait()
		clock.Add(16 * time.Second)
		waits := c.Waits()
		if got := get(index.District, "2026-07-07", "2026-08-05"); got != "1" || c.Waits() != waits {
			t.Errorf("after a minute: call %s, %d waits; want the old board served at once", got, c.Waits()-waits)
		}
		synctest.Wait() // the computation it started
		if got := get(index.District, "2026-07-07", "2026-08-05"); got != "4" {
			t.Errorf("after the computation in the background the old board is still shown (call %s)", got)
		}
		if c.held.Len() != 3 {
			t.Errorf("%d boards held, want 3 (none expired yet but the one replaced)", c.held.Len())
		}
	})
}

// A board in use is computed again before it expires: the visitor who
// asks in its last quarter gets it at once, and the next visitor after the
// minute gets the new one without waiting. A board nobody asked for late
// in its life is served stale past its minute, while it is computed again
// in the background; past StaleFor minutes more its visitor waits.
func TestCacheRefreshesABoardInUseAhead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &source{}
		start := time.Now()
		c := New(src.compute, time.Minute, clockFrom(day("2026-08-05").Add(10*time.Hour)))
		get := func() string {
			t.Helper()
			b, err := c.Board(context.Background(), index.District, day("2026-08-01"), day("2026-08-05"))
			if err != nil {
				t.Fatal(err)
			}
			return b.Ranked[0].Name
		}
		at := func(d time.Duration) { time.Sleep(time.Until(start.Add(d))) }
		get()
		at(50 * time.Second)
		if got := get(); got != "1" {
			t.Errorf("in its last quarter the board was not shown at once (call %s)", got)
		}
		synctest.Wait() // the refresh ran
		if len(src.calls) != 2 {
			t.Fatalf("%d computations, want the refresh ahead as the second", len(src.calls))
		}
		at(61 * time.Second)
		if got := get(); got != "2" || len(src.calls) != 2 {
			t.Errorf("after the first board's minute: call %s, %d computations; want the refreshed board, no wait", got, len(src.calls))
		}
		at(111 * time.Second) // the refreshed board expired, nobody asked in its last quarter
		waits := c.Waits()
		if got := get(); got != "2" || c.Waits() != waits {
			t.Errorf("an expired board: call %s, %d waits; want it served stale at once", got, c.Waits()-waits)
		}
		synctest.Wait()
		if got := get(); got != "3" {
			t.Errorf("after its computation in the background: call %s, want the new board", got)
		}
		// Computed at 111 s and not asked for since: served stale until
		// StaleFor minutes past its expiry at 171 s, then computed while
		// its visitor waits.
		at(171*time.Second + StaleFor*time.Minute + time.Second)
		src.mu.Lock()
		n := len(src.calls)
		src.mu.Unlock()
		if got := get(); got != fmt.Sprint(n+1) || c.Waits() != waits+1 {
			t.Errorf("past the staleness bound: call %s, %d waits; want call %d computed while the visitor waited", got, c.Waits()-waits, n+1)
		}
	})
}

func TestCacheKeysBoardsByParent(t *testing.T) {
	src := &source{}
	c := New(src.compute, time.Minute, clockFrom(day("2026-08-05").Add(10*time.Hour)))
	ctx := context.Background()
	from, to := day("2026-08-01"), day("2026-08-05")
	for _, parent := range []string{"310101", "310104", "", "310101"} {
		if _, err := c.Within(ctx, index.Staff, parent, from, to); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"staff in 310101 2026-08-01..2026-08-05", "staff in 310104 2026-08-01..2026-08-05", "staff 2026-08-01..2026-08-05"}
	if fmt.Sprint(src.calls) != fmt.Sprint(want) {
		t.Errorf("computed %q, want %q (one board per parent, the repeat held)", src.calls, want)
	}
}

func TestCacheDoesNotHoldAnError(t *testing.T) {
	src := &source{fail: errors.New("database gone")}
	c := New(src.compute, time.Minute, time.Now)
	if _, err := c.Board(context.Background(), index.District, day("2026-08-01"), day("2026-08-05")); err == nil {
		t.Fatal("no error from a failing source")
	}
	src.fail = nil
	if _, err := c.Board(context.Background(), index.District, day("2026-08-01"), day("2026-08-05")); err != nil {
		t.Fatalf("the error was kept: %v", err)
	}
}

func TestConcurrentRequestsComputeOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &source{gate: make(chan struct{})}
		c := New(src.compute, time.Minute, clockFrom(day("2026-08-05").Add(10*time.Hour)))
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = c.Board(ctx, index.District, day("2026-08-01"), day("2026-08-05"))
			})
		}
		synctest.Wait()
		cancel() // the first caller hangs up; the others still get the board
		close(src.gate)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if len(src.calls) != 1 {
			t.Errorf("%d computations for 8 concurrent requests, want 1", len(src.calls))
		}
	})
}

func TestMonthsAreCalendarMonthsInShanghai(t *testing.T) {
	src := &source{}
	c := New(src.compute, time.Minute, time.Now)
	// 2026-08-05 00:30 in Shanghai is still 4 August in UTC.
	today := time.Date(2026, 8, 4, 16, 30, 0, 0, time.UTC)
	months, err := c.Months(context.Background(), index.District, "310101", today, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range months {
		got = append(got, m.From.Format(time.DateOnly)+".."+m.To.Format(time.DateOnly)+" "+m.Entry.Code+" "+m.City.Code)
	}
	want := []string{"2026-06-01..2026-06-30 310101 city", "2026-07-01..2026-07-31 310101 city", "2026-08-01..2026-08-05 310101 city"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("months (-want +got):\n%s", d)
	}
	from, to := Recent(today)
	if f, tt := from.Format(time.DateOnly), to.Format(time.DateOnly); f != "2026-07-07" || tt != "2026-08-05" {
		t.Errorf("recent period %s..%s, want the 30 days 2026-07-07..2026-08-05", f, tt)
	}
}

// KeepWarm computes every board the pages draw at once, without waiting
// for a warm-up, and then each again ahead of its expiry: over ten
// minutes with nobody asking, none is ever found expired, and a visitor
// of any of them waits for nothing.
func TestKeepWarmRefreshesAheadOfExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &source{}
		clock := clockFrom(day("2026-08-05").Add(10 * time.Hour))
		c := New(src.compute, time.Minute, clock)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go c.KeepWarm(ctx, func(err error) { t.Error(err) })
		synctest.Wait()
		drawn := drawnOn(clock())
		for step := range 10 * 60 / 7 {
			time.Sleep(7 * time.Second)
			synctest.Wait()
			now := clock()
			for _, d := range drawn {
				if d.themes {
					continue // no theme source here
				}
				k, _ := c.job(d)
				c.mu.Lock()
				h, ok := c.held.Peek(k)
				c.mu.Unlock()
				if !ok || !now.Before(h.until) {
					t.Fatalf("after %d s the board %s was not held fresh", (step+1)*7, k)
				}
			}
		}
		for _, d := range drawn {
			if !d.themes {
				if _, err := c.Board(ctx, d.scope, d.from, d.to); err != nil {
					t.Fatal(err)
				}
			}
		}
		if c.Waits() != 0 {
			t.Errorf("visitors waited for %d computations", c.Waits())
		}
	})
}
