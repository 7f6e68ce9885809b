package board

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/haocha/haocha/internal/clocktest"
	"github.com/haocha/haocha/internal/index"
)

// views is a cache over src with a page, built from the district board of
// the last 30 days (or from from to to when given), that says how many
// times it was built and what the board's computed_at was.
type views struct {
	c      *Cache
	clock  *clocktest.Clock
	builds int
}

func newViews(src *source) *views {
	clock := clocktest.New(day("2026-08-05").Add(10 * time.Hour))
	return &views{c: New(src.compute, time.Minute, clock.Now), clock: clock}
}

func (v *views) get(t *testing.T, name string, stamp int64, from, to time.Time) string {
	t.Helper()
	got, err := v.c.View(context.Background(), name, stamp, func(ctx context.Context) (View, error) {
		v.builds++
		b, err := v.c.Board(ctx, index.District, from, to)
		if err != nil {
			return View{}, err
		}
		return View{Body: fmt.Appendf(nil, "%s %s", name, b.Computed.Format(time.TimeOnly))}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(got.Body)
}

// A view is served as held while the board it drew is the one held and
// the caller's stamp is unchanged; a use of it is a use of the board,
// which from the last quarter of the board's life starts its computation
// in the background; once the new board is held, the view is built again
// from it. A new stamp, or a TTL, builds it again too.
func TestViewLivesAsLongAsItsBoard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &source{}
		v := newViews(src)
		from, to := Recent(v.clock.Now())
		first := v.get(t, "p", 1, from, to)
		if again := v.get(t, "p", 1, from, to); again != first || v.builds != 1 || v.c.ViewHits() != 1 {
			t.Fatalf("second view %q (first %q): %d builds, %d hits; want it held", again, first, v.builds, v.c.ViewHits())
		}
		v.clock.Add(50 * time.Second) // the board's last quarter
		if got := v.get(t, "p", 1, from, to); got != first || v.builds != 1 {
			t.Fatalf("in the board's last quarter: %q after %d builds, want the held view", got, v.builds)
		}
		synctest.Wait() // the computation its use started
		if len(src.calls) != 2 {
			t.Fatalf("the board was computed %d times, want 2: the view's use started none", len(src.calls))
		}
		if got := v.get(t, "p", 1, from, to); got == first || v.builds != 2 {
			t.Errorf("after the board was computed again: %q after %d builds, want a view of the new board", got, v.builds)
		}
		v.get(t, "p", 2, from, to)
		if v.builds != 3 {
			t.Errorf("a new stamp: %d builds, want 3", v.builds)
		}
		v.clock.Add(time.Minute) // the view's TTL; the board is stale, and served
		v.get(t, "p", 2, from, to)
		if v.builds != 4 {
			t.Errorf("a TTL later: %d builds, want 4", v.builds)
		}
	})
}

// A view that drew a period that is not standard is built for each
// request and never held, as the board is not.
func TestViewOfAnotherPeriodIsNotHeld(t *testing.T) {
	src := &source{}
	v := newViews(src)
	for range 3 {
		v.get(t, "odd", 1, day("2026-07-21"), day("2026-07-21"))
	}
	if v.builds != 3 || v.c.ViewHits() != 0 || v.c.Bytes() != 0 {
		t.Errorf("%d builds, %d hits, %d bytes held; want 3, none and none", v.builds, v.c.ViewHits(), v.c.Bytes())
	}
}

// Views are held within the cache's budget with the boards, the least
// recently used going first: a thousand views of 100 KB each in a budget
// of 2 MB leave it under the budget, and the views used last held.
func TestViewsStayInBudget(t *testing.T) {
	src := &source{}
	v := newViews(src)
	const budget = 2 << 20
	v.c.SetBudget(budget)
	from, to := Recent(v.clock.Now())
	ctx := context.Background()
	page := make([]byte, 100<<10)
	for i := range 1000 {
		_, err := v.c.View(ctx, fmt.Sprint("page ", i), 1, func(ctx context.Context) (View, error) {
			_, err := v.c.Board(ctx, index.District, from, to)
			return View{Body: append([]byte(nil), page...)}, err
		})
		if err != nil {
			t.Fatal(err)
		}
		if v.c.Bytes() > budget {
			t.Fatalf("after %d views the cache accounts %d bytes, over its budget of %d", i+1, v.c.Bytes(), budget)
		}
	}
	if v.get(t, "page 999", 1, from, to); v.builds != 0 || v.c.ViewHits() != 1 {
		t.Errorf("the last view: %d builds, %d hits; want it held", v.builds, v.c.ViewHits())
	}
	if len(src.calls) != 1 {
		t.Errorf("the board was computed %d times, want once: the views evicted it", len(src.calls))
	}
	v.get(t, "page 0", 1, from, to)
	if v.builds != 1 {
		t.Errorf("the first view was still held, past the budget")
	}
}

// DropViews drops the views and leaves the boards.
func TestDropViews(t *testing.T) {
	src := &source{}
	v := newViews(src)
	from, to := Recent(v.clock.Now())
	v.get(t, "p", 1, from, to)
	v.c.DropViews()
	v.get(t, "p", 1, from, to)
	if v.builds != 2 || len(src.calls) != 1 {
		t.Errorf("%d builds, %d computations; want 2 and 1", v.builds, len(src.calls))
	}
}

// A held view in use marks the boards it drew used: views that draw
// nothing, coming after, push out the other views, not the board a view
// in use is built from.
func TestViewInUseKeepsItsBoards(t *testing.T) {
	src := &source{}
	v := newViews(src)
	from, to := Recent(v.clock.Now())
	ctx := context.Background()
	v.get(t, "in use", 1, from, to)
	v.c.SetBudget(v.c.Bytes() * 3) // the board and its view, and about as much again
	page := make([]byte, 1<<10)
	for i := range 100 {
		_, err := v.c.View(ctx, fmt.Sprint("other ", i), 1, func(context.Context) (View, error) {
			return View{Body: append([]byte(nil), page...)}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		v.get(t, "in use", 1, from, to)
	}
	if v.builds != 1 || len(src.calls) != 1 {
		t.Errorf("the view in use was built %d times and its board computed %d; want once each", v.builds, len(src.calls))
	}
}
