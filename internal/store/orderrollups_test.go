package store_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// TestOrderRollupsMatchOrders: the index counts of odd periods (crossing
// months, one month, one day, a period ending today, a year) read from
// the order rollups equal those counted from the work orders themselves,
// in every scope and for the city, before and after orders move: a
// re-dispatch that moves an order's due day, an upheld appeal, a cause
// review whose contest clears the unit, a review held out.
func TestOrderRollupsMatchOrders(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			source := dsn(t)
			st := storetest.Open(t, source)
			// The orders live and are counted on 12 October.
			at := time.Date(2026, 10, 12, 12, 0, 0, 0, calendar.Zone)
			st.Now = func() time.Time { return at }
			if err := demo.Load(ctx, st, demo.Options{Reviews: 2000, Bad: 200, Seed: 7, Frozen: true, Now: time.Date(2026, 8, 5, 12, 0, 0, 0, calendar.Zone)}); err != nil {
				t.Fatal(err)
			}
			cal, err := st.Calendar(ctx)
			if err != nil {
				t.Fatal(err)
			}
			liveOrders(t, st, cal)
			day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, calendar.Zone) }
			periods := [][2]time.Time{
				{day(2026, 7, 15), day(2026, 9, 20)},   // odd days at both ends, a whole month between
				{day(2026, 8, 1), day(2026, 8, 31)},    // one month
				{day(2026, 7, 22), day(2026, 7, 22)},   // one day
				{day(2026, 9, 28), day(2026, 10, 12)},  // to today, whose orders are not all due
				{day(2025, 10, 13), day(2026, 10, 12)}, // a year
			}
			check := func(stage string, st *store.Store, replica bool) {
				t.Helper()
				for _, p := range periods {
					for _, sc := range index.Scopes {
						if !sc.Grouped() {
							continue
						}
						want, wantCity, err := st.CountsFromOrders(ctx, sc, p[0], p[1], at)
						if err != nil {
							t.Fatal(err)
						}
						got, gotCity, err := st.IndexCountsAt(ctx, sc, p[0], p[1], at)
						if err != nil {
							t.Fatal(err)
						}
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("%s: scope %s, %s to %s (-orders +rollups):\n%s", stage, sc, p[0].Format(time.DateOnly), p[1].Format(time.DateOnly), diff)
						}
						if diff := cmp.Diff(wantCity, gotCity); diff != "" {
							t.Errorf("%s: the city beside %s, %s to %s (-orders +rollups):\n%s", stage, sc, p[0].Format(time.DateOnly), p[1].Format(time.DateOnly), diff)
						}
					}
				}
				if replica {
					return // it counts the days not built from the orders
				}
				// The year reads its whole months from the month rows and
				// only today from the orders.
				months, _, orders, err := st.OrderPlan(ctx, periods[4][0], periods[4][1], at)
				if err != nil {
					t.Fatal(err)
				}
				if months != 1 || orders != 1 {
					t.Errorf("%s: the year reads %d runs of months and %d runs of days from the orders, want 1 and 1 (today)", stage, months, orders)
				}
			}
			check("built", st, false)
			all, _, err := st.IndexCountsAt(ctx, index.City, periods[4][0], periods[4][1], at)
			if err != nil {
				t.Fatal(err)
			}
			if o := all["city"].Orders; o.Redispatched == 0 || o.AppealsUpheld == 0 || o.UndispatchedLate == 0 || o.Rectified == 0 {
				t.Fatalf("the year's orders miss a life: %+v", o)
			}
			moveOrders(t, st, cal, at)
			if name == "postgres" {
				// A read replica (--db-read) cannot build the days the
				// moves made dirty: it counts them from the orders. (The
				// primary folds the review rollups first, as its folder
				// does within a second.)
				if err := st.FoldRollups(ctx); err != nil {
					t.Fatal(err)
				}
				u, err := url.Parse(source)
				if err != nil {
					t.Fatal(err)
				}
				u.RawQuery += "&options=-c%20default_transaction_read_only%3Don"
				replica, err := store.Open(ctx, u.String())
				if err != nil {
					t.Fatal(err)
				}
				defer replica.Close()
				replica.Now = st.Now
				check("on a read replica, the moved days not built", replica, true)
			}
			check("after the orders moved", st, false)
			all2, _, err := st.IndexCountsAt(ctx, index.City, periods[4][0], periods[4][1], at)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := all["city"].Orders, all2["city"].Orders; a.AppealsUpheld >= b.AppealsUpheld || a.WithDue <= b.WithDue || b.Causes == nil {
				t.Errorf("the moves changed nothing the year counts: before %+v, after %+v", a, b)
			}
			// With no row at all, as migration 0215 finds a database, the
			// first reader builds every day from the first order's.
			for _, table := range []string{"order_rollup_days", "order_rollups", "order_rollups_monthly"} {
				if _, err := st.DB().Exec("DELETE FROM " + table); err != nil {
					t.Fatal(err)
				}
			}
			check("built from no row", st, false)
		})
	}
}

// moveOrders changes orders due on days the rollups hold, at now: a
// supervised order re-dispatched (due again after now), an open one
// appealed and upheld, one answered, found not satisfying, given a cause
// at fault that a contest changes to one that clears the unit, and the
// review of another held out.
func moveOrders(t *testing.T, st *store.Store, cal *calendar.Calendar, now time.Time) {
	t.Helper()
	ctx := context.Background()
	causes, err := st.Causes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var atFault, clears string
	for _, c := range causes {
		if c.AtFault && atFault == "" {
			atFault = c.Code
		}
		if !c.AtFault && clears == "" {
			clears = c.Code
		}
	}
	byState := map[workorder.State][]int64{}
	rows, err := st.DB().Query("SELECT id, state FROM work_orders ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var state string
		if err := rows.Scan(&id, &state); err != nil {
			t.Fatal(err)
		}
		byState[workorder.State(state)] = append(byState[workorder.State(state)], id)
	}
	rows.Close()
	if len(byState[workorder.Supervised]) == 0 || len(byState[workorder.Dispatched]) < 3 {
		t.Fatalf("orders by state: %v", byState)
	}
	actor := account.Actor{Role: account.Supervisor, Name: "sup"}
	steps := func(id int64, fns ...func(o *workorder.Order) (workorder.Change, error)) {
		for i, fn := range fns {
			if _, _, err := st.ChangeOrder(ctx, id, actor, fn); err != nil {
				t.Fatalf("order %d, step %d: %v", id, i, err)
			}
		}
	}
	steps(byState[workorder.Supervised][0], func(o *workorder.Order) (workorder.Change, error) {
		return o.Redispatch(now, cal, workorder.Assignment{Unit: "310101", Complexity: workorder.Simple, Days: 2})
	})
	open := byState[workorder.Dispatched]
	steps(open[0],
		func(o *workorder.Order) (workorder.Change, error) {
			return o.FileAppeal(now, workorder.GroundMistaken, "not ours")
		},
		func(o *workorder.Order) (workorder.Change, error) { return o.DecideAppeal(now, true, "so it is") })
	steps(open[1],
		func(o *workorder.Order) (workorder.Change, error) {
			return o.Answer(now, workorder.Reply{Findings: "f", Rectification: "r", Answer: "a"})
		},
		func(o *workorder.Order) (workorder.Change, error) { return o.FollowUp(now, false, "still not") },
		func(o *workorder.Order) (workorder.Change, error) { return o.RecordCause(now, causes, atFault, "") },
		func(o *workorder.Order) (workorder.Change, error) { return o.ContestCause(now, "the rule forbids it") },
		func(o *workorder.Order) (workorder.Change, error) {
			return o.DecideCause(now, causes, false, clears, "outside policy")
		})
	o, err := st.Order(ctx, open[2])
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ExcludeReview(ctx, o.Review, "suspected fraud"); err != nil {
		t.Fatal(err)
	}
}
