package index

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/calendar"
)

// TestOrderCountsSub: a sum of orders' counts less some of them is the
// count of the others, maps without the keys at 0 and without a part
// before dispatch once none is left, as the order rollups' months need.
func TestOrderCountsSub(t *testing.T) {
	cal := calendar.New(nil)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, calendar.Zone) }
	now := day(28)
	closed := Order{Created: day(2), Dispatched: day(2), Due: day(6), Replied: day(3), Closed: day(4), Round: 1}
	caused := Order{Created: day(3), Dispatched: day(3), Due: day(9), Replied: day(5), Round: 2, NotSatisfied: 1,
		Cause: "careless", CauseAtFault: true}
	waiting := Order{Created: day(10)} // never dispatched
	var kept, all OrderCounts
	kept.AddOrder(closed, cal, now)
	for _, o := range []Order{closed, caused, waiting} {
		all.AddOrder(o, cal, now)
	}
	var gone OrderCounts
	gone.AddOrder(caused, cal, now)
	gone.AddOrder(waiting, cal, now)
	if all.BeforeDispatch == nil || all.Causes == nil {
		t.Fatalf("the sum misses a part: %+v", all)
	}
	all.Sub(gone)
	if diff := cmp.Diff(kept, all); diff != "" {
		t.Errorf("sum less two orders (-the one left +got):\n%s", diff)
	}
	all.Sub(kept)
	if !all.IsZero() {
		t.Errorf("nothing left should count nothing: %+v", all)
	}
}
