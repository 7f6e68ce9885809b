package workorder

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// TestDeadlinesInOrder dispatches orders at random minutes of 2026, over
// weekends, nights and the shipped holidays, and checks what the citizen is
// promised against what the steps then require: the unit's first contact is
// never due after its reply, nor before the dispatch; and an order the
// operator dispatched within their own working day is contacted within the
// two working days the receipt names (one to dispatch, one to contact).
func TestDeadlinesInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 12))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, calendar.Zone)
	assignments := []Assignment{
		{Unit: "310101", Complexity: Simple, Days: 0},
		{Unit: "310101", Complexity: Simple, Days: 1},
		{Unit: "310101", Complexity: Complex, Days: MinComplexDays},
		{Unit: "310101", Complexity: Complex, Days: MaxDays},
	}
	for range 20000 {
		created := start.Add(time.Duration(rng.Int64N(int64(360 * 24 * time.Hour)))).Truncate(time.Minute)
		// The operator dispatches at some minute up to their deadline.
		deadline := cal.AddWorkdays(created, DispatchDays)
		dispatched := created.Add(time.Duration(rng.Int64N(int64(deadline.Sub(created)) + 1))).Truncate(time.Minute)
		if dispatched.Before(created) {
			dispatched = created
		}
		a := assignments[rng.IntN(len(assignments))]
		o := newOrder()
		o.CreatedAt = created
		if _, err := o.Dispatch(dispatched, cal, a); err != nil {
			t.Fatalf("dispatch %v at %v: %v", a, dispatched, err)
		}
		where := func() string {
			return "created " + created.Format("Mon 2006-01-02 15:04") + ", dispatched " + dispatched.Format("Mon 2006-01-02 15:04") +
				", " + string(a.Complexity) + " " + strconv.Itoa(a.Days) + " working days"
		}
		switch {
		case o.ContactDue.After(o.Due):
			t.Fatalf("%s: first contact due %v, after the reply due %v", where(), o.ContactDue, o.Due)
		case o.ContactDue.Before(dispatched):
			t.Fatalf("%s: first contact due %v, before the dispatch", where(), o.ContactDue)
		case o.DispatchLate(cal, dispatched):
			t.Fatalf("%s: dispatched within the operator's deadline %v, yet marked late", where(), deadline)
		case o.ContactDue.After(cal.AddWorkdays(created, DispatchDays+1)):
			t.Fatalf("%s: first contact due %v, after the two working days the receipt promises (%v)",
				where(), o.ContactDue, cal.AddWorkdays(created, DispatchDays+1))
		case !cal.IsWorkday(o.ContactDue) || !cal.IsWorkday(o.Due):
			t.Fatalf("%s: a deadline on a day off: contact %v, reply %v", where(), o.ContactDue, o.Due)
		}
	}
}

// TestSundayNightSameDay is the order the walk found: dispatched on a
// Sunday night as simple and same day, its reply is due Monday at the end of
// the working day, and so is its first contact (it was Tuesday).
func TestSundayNightSameDay(t *testing.T) {
	o := newOrder()
	o.Dispatch(at(t, "2026-03-08 22:10"), cal, Assignment{Unit: "310101", Complexity: Simple, Days: 0})
	monday := at(t, "2026-03-09 17:30")
	if !o.Due.Equal(monday) || !o.ContactDue.Equal(monday) {
		t.Errorf("reply due %v, first contact due %v; want both %v", o.Due, o.ContactDue, monday)
	}
}

// A re-dispatched order keeps its first dispatch: dispatched two working
// days late, then sent back to a unit by the General Office, it is still
// late for the operator (GD20261120000013 of issue 18 read false).
func TestRedispatchKeepsTheLateFirstDispatch(t *testing.T) {
	o := newOrder()
	o.CreatedAt = at(t, "2026-03-09 09:00") // a Monday: due to be dispatched by Tuesday 17:30
	a := Assignment{Unit: "310101", Complexity: Simple, Days: 1}
	if _, err := o.Dispatch(at(t, "2026-03-11 10:00"), cal, a); err != nil {
		t.Fatal(err)
	}
	o.State = Supervised // escalated by the General Office
	if _, err := o.Redispatch(at(t, "2026-03-12 10:00"), cal, a); err != nil {
		t.Fatal(err)
	}
	if o.Round != 2 || !o.DispatchLate(cal, at(t, "2026-03-13 10:00")) {
		t.Errorf("round %d, dispatch late %v: want round 2 and still late", o.Round, o.DispatchLate(cal, at(t, "2026-03-13 10:00")))
	}
}
