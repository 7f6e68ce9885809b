package index

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// TestUpheldAppealIsNotLate: an order dispatched late whose review the
// supervisor then took out on appeal counts as an upheld appeal alone, not
// as dispatched late (issue 18); a re-dispatched order stays late when its
// first dispatch was.
func TestUpheldAppealIsNotLate(t *testing.T) {
	cal := calendar.New(nil) // weekends only
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, calendar.Zone) }
	// Opened Monday 2 March 09:00, dispatch deadline Tuesday 17:30;
	// first dispatched on Wednesday.
	late := Order{Created: at(2, 9), Dispatched: at(4, 9), ContactDue: at(5, 17), Due: at(6, 17)}
	appealed := late
	appealed.AppealUpheld, appealed.Closed = true, at(5, 9)
	redispatched := late
	redispatched.Round = 2
	var got OrderCounts
	for _, o := range []Order{late, appealed, redispatched} {
		got.AddOrder(o, cal, at(16, 12))
	}
	if got.UndispatchedLate != 2 || got.AppealsUpheld != 1 || got.WithDue != 2 {
		t.Errorf("late %d, appeals upheld %d, orders %d; want 2 late (the appealed order not), 1, 2",
			got.UndispatchedLate, got.AppealsUpheld, got.WithDue)
	}
}

// TestUndispatchedLateIsTheCentres: undispatched_late is published on the
// centre's entry, never on a unit's; the centre's entry carries its own
// figures and leaves the units' null.
func TestUndispatchedLateIsTheCentres(t *testing.T) {
	o := OrderCounts{WithDue: 4, UndispatchedLate: 1, ContactedOnTime: 3, Redispatched: 1, Rectified: 4, RepliedOnTime: 4}
	unit, _ := json.Marshal(Compute(Counts{N: 40, Stars: [5]int64{0, 0, 0, 0, 40}, Orders: o}, V2(), nil))
	var m map[string]any
	json.Unmarshal(unit, &m)
	if _, ok := m["undispatched_late"]; ok {
		t.Errorf("a unit's indicators publish undispatched_late: %s", unit)
	}
	c := CentreEntry(o, V2())
	in := c.Indicators
	if c.Code != CentreCode || c.Index != nil || c.InsufficientSample || c.N != 0 {
		t.Errorf("centre entry %s index %v insufficient %v n %d", c.Code, c.Index, c.InsufficientSample, c.N)
	}
	if in.UndispatchedLate == nil || *in.UndispatchedLate != 1 || in.WorkOrders != 4 ||
		*in.FirstContactOnTimeRate != 0.75 || *in.RedispatchRate != 0.25 {
		t.Errorf("centre figures %+v", in)
	}
	if in.RectificationRate != nil || in.OnTimeReplyRate != nil || in.FollowUpSatisfactionRate != nil {
		t.Errorf("the centre publishes the units' rates: %v %v %v", in.RectificationRate, in.OnTimeReplyRate, in.FollowUpSatisfactionRate)
	}
}
