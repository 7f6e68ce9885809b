package index

import (
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// TestCauseDecidesRectification: an order left unsatisfied counts against
// its unit in R only when its reviewed cause puts the unit at fault; one
// without a cause counts as before the cause review, under every
// definition version.
func TestCauseDecidesRectification(t *testing.T) {
	cal := calendar.New(nil)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, calendar.Zone) }
	unsatisfied := Order{Created: day(2), Dispatched: day(2), Due: day(3), Replied: day(3), Round: 1, NotSatisfied: 1}
	closed := unsatisfied
	closed.Closed, closed.NotSatisfied = day(4), 0
	atFault, cleared := unsatisfied, unsatisfied
	atFault.Cause, atFault.CauseAtFault = "careless", true
	cleared.Cause, cleared.NotAtFault = "unreasonable", true
	for _, tt := range []struct {
		name  string
		order Order
		r     float64
	}{
		{"no cause", unsatisfied, 0.5},
		{"at fault", atFault, 0.5},
		{"not at fault", cleared, 1},
	} {
		var c OrderCounts
		c.AddOrder(closed, cal, day(20))
		c.AddOrder(tt.order, cal, day(20))
		for _, def := range []Definition{V1(), V2()} {
			in := Compute(Counts{Orders: c}, def, nil)
			if in.RectificationRate == nil || *in.RectificationRate != tt.r {
				t.Errorf("%s, version %d: rectification rate %v, want %v", tt.name, def.Version, in.RectificationRate, tt.r)
			}
			// Against itself as parent, the shrunk R of version 2 is the raw rate.
			if res := Score(Counts{Orders: c}, Counts{Orders: c}, def); !near(res.R, tt.r) {
				t.Errorf("%s, version %d: R = %v, want %v", tt.name, def.Version, res.R, tt.r)
			}
		}
		if tt.order.Cause != "" {
			in := Compute(Counts{Orders: c}, V1(), nil)
			want := 0.0
			if tt.order.CauseAtFault {
				want = 1
			}
			if in.Causes[tt.order.Cause] != 1 || in.CauseAtFaultShare == nil || *in.CauseAtFaultShare != want {
				t.Errorf("%s: cause mix %v, at-fault share %v", tt.name, in.Causes, in.CauseAtFaultShare)
			}
		}
	}
}
