package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// TestDemoIsACityAtWork loads the default demo as `serve` does and checks
// what a visitor of the consoles would see: reviews up to yesterday, work
// orders in every state with their history, some late, some escalated,
// some appealed, causes of "not satisfied" reviewed and contested, and
// the newest still waiting today.
func TestDemoIsACityAtWork(t *testing.T) {
	ctx := context.Background()
	st, now := loadDemo(t)
	tally, err := st.Stats(ctx, review.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	stats := tally.Stats(review.DimensionSet{})
	if stats.Total != demo.TrialReviews || stats.Bad != demo.TrialBad {
		t.Errorf("published: %d reviews, %d bad; want the trial's %d and %d", stats.Total, stats.Bad, demo.TrialReviews, demo.TrialBad)
	}
	rows, err := st.Orders(ctx, workorder.Filter{Limit: 1000, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	states := map[workorder.State]int{}
	var overdue, redispatched, escalated, appealed int
	yesterday := time.Date(2026, 11, 26, 23, 59, 59, 0, calendar.Zone)
	for _, o := range rows {
		states[o.State]++
		if o.ReviewAt.After(yesterday) {
			t.Errorf("order %s: review of %v, after the day before the load", o.Number, o.ReviewAt)
		}
		if o.Overdue {
			overdue++
		}
		if o.Round > 1 {
			redispatched++
		}
		if !o.SupervisedAt.IsZero() {
			escalated++
		}
		if o.Appeal != "" {
			appealed++
		}
		if o.State == workorder.Closed && o.Reply.Answer == "" {
			t.Errorf("order %s closed without the unit's answer", o.Number)
		}
	}
	t.Logf("%d orders: %v; overdue %d, re-dispatched %d, escalated %d, appealed %d",
		len(rows), states, overdue, redispatched, escalated, appealed)
	if states[workorder.Closed] < len(rows)/2 {
		t.Errorf("%d of %d orders closed: most should be", states[workorder.Closed], len(rows))
	}
	for _, s := range []workorder.State{workorder.New, workorder.Dispatched, workorder.Closed} {
		if states[s] == 0 {
			t.Errorf("no order in state %s", s)
		}
	}
	if states[workorder.Replied]+states[workorder.NotSatisfied]+states[workorder.Supervised] == 0 {
		t.Error("no order waits for a follow-up, the operator or the General Office")
	}
	for what, n := range map[string]int{"overdue": overdue, "re-dispatched": redispatched, "escalated": escalated, "appealed": appealed} {
		if n == 0 {
			t.Errorf("no order %s", what)
		}
	}
	// The cause review is lived in: causes found against units and not,
	// and a contest decided each way.
	var atFault, notAtFault, upheld, changed int
	for _, o := range rows {
		switch {
		case o.Cause == "":
			continue
		case o.CauseAtFault:
			atFault++
		default:
			notAtFault++
		}
		switch o.CauseContest {
		case workorder.ContestUpheld:
			upheld++
		case workorder.ContestChanged:
			changed++
		}
	}
	t.Logf("causes: %d at fault, %d not; contests upheld %d, changed %d", atFault, notAtFault, upheld, changed)
	if atFault == 0 || notAtFault == 0 || upheld == 0 || changed == 0 {
		t.Errorf("causes: %d at fault, %d not at fault, contests upheld %d, changed %d; want some of each", atFault, notAtFault, upheld, changed)
	}
	// Two operators share the orders, each with figures of their own.
	for _, login := range []string{"operator", "operator2"} {
		if err := st.CreateUser(ctx, &account.User{Login: login, Role: account.Operator, PasswordHash: "x"}, "test"); err != nil {
			t.Fatal(err)
		}
	}
	ops, err := st.Operators(ctx, now.AddDate(0, 0, -90), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 2 || ops[0].Dispatched == 0 || ops[1].Dispatched == 0 || ops[0].CausesReviewed+ops[1].CausesReviewed == 0 {
		t.Errorf("operators' figures %+v, want two operators who dispatched and reviewed causes", ops)
	}
	// Each closed order carries its history: dispatch, contact, reply and
	// the follow-up, at least.
	for _, o := range rows {
		if o.State != workorder.Closed {
			continue
		}
		trail, err := st.AuditOf(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(trail) < 4 {
			t.Errorf("closed order %s has %d audit rows, want its whole history", o.Number, len(trail))
		}
		break
	}
}

// loadDemo loads the default demo, as serve does, on a day of late
// November 2026, and returns the store and that moment.
func loadDemo(t *testing.T) (*store.Store, time.Time) {
	t.Helper()
	st := storetest.Open(t, storetest.SQLiteDSN(t))
	now := time.Date(2026, 11, 27, 10, 30, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	if err := demo.Load(context.Background(), st, demo.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	return st, now
}
