package recount_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/demo/demotest"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/recount"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// serve starts the JSON API over st, as `haocha` serves it, with its
// boards' cache. Its answers are checked against openapi.yaml only for the
// definition: internal/api's tests check the others, and thousands of
// checked answers take minutes on a busy machine.
func serve(t *testing.T, st *store.Store) *httptest.Server {
	t.Helper()
	mux := route.NewMux()
	// Reviews are stamped by the store's clock and bound to the reported
	// transactions they name, as the server's intake does.
	in := &intake.Service{Store: st, Salt: []byte("t"), Transactions: st, Now: func() time.Time { return st.Now() }}
	a := &api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: in}
	a.Boards = store.NewBoards(st)
	a.Register(mux)
	checked := apitest.Check(t, mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/index/definition" {
			checked.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// check runs the check over the standard periods, or only the 30 days up
// to now when recent: each period takes a minute on a busy machine, and
// the demo's 20 days lie in all of them alike.
func check(t *testing.T, st *store.Store, srv *httptest.Server, recent bool) recount.Result {
	t.Helper()
	var periods [][2]time.Time
	if recent {
		periods = recount.StandardPeriods(st.Now())[:1]
	}
	return checkOver(t, st, srv, periods)
}

// checkOver runs the check over periods (the standard ones when none).
func checkOver(t *testing.T, st *store.Store, srv *httptest.Server, periods [][2]time.Time) recount.Result {
	t.Helper()
	ctx := context.Background()
	cal, err := st.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := recount.Check{Server: srv.URL, DB: st.DB(), Now: st.Now(), Workday: cal.IsWorkday, Tags: review.TagNames(), Periods: periods}
	res, err := c.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRecountAgreesAndFindsTampering recomputes a demo's published boards
// in SQL: no difference on a fresh demo nor after a day of changes (new
// reviews, orders dispatched and closed, appeals upheld); a rollup row
// edited by hand, which the server counts from and the SQL does not read,
// is found with its member, field and both values.
func TestRecountAgreesAndFindsTampering(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st, setNow := demotest.City(t, dsn(t), 20)
			now := demotest.Now
			srv := serve(t, st)
			start := time.Now()
			res := check(t, st, srv, true)
			if len(res.Differences) > 0 {
				t.Fatalf("fresh demo: %d differences, first: %s", len(res.Differences), res.Differences[0])
			}
			if res.Members < 500 {
				t.Fatalf("compared only %d members", res.Members)
			}
			t.Logf("fresh demo: %d members, %d requests, %s", res.Members, res.Requests, time.Since(start))

			now = now.Add(24 * time.Hour)
			setNow(now)
			aDayOfChanges(t, st, now)
			if res := check(t, st, srv, true); len(res.Differences) > 0 {
				t.Fatalf("after a day of changes: %d differences, first: %s", len(res.Differences), res.Differences[0])
			}

			var code string
			var day, shard int64
			if err := st.DB().QueryRow("SELECT code, day, shard FROM review_rollups WHERE axis = 'district' AND code <> '' ORDER BY day DESC, code, shard LIMIT 1").Scan(&code, &day, &shard); err != nil {
				t.Fatal(err)
			}
			if _, err := st.DB().Exec(st.Rebind("UPDATE review_rollups SET stars1 = stars1 + 2 WHERE axis = 'district' AND code = ? AND day = ? AND shard = ?"), code, day, shard); err != nil {
				t.Fatal(err)
			}
			// The centre's figures and the cause mix come from the orders'
			// history: an order's columns edited by hand differ from it.
			since := now.AddDate(0, 0, -25).UnixMilli()
			var late, caused int64
			var cause string
			if err := st.DB().QueryRow(st.Rebind(`SELECT o.id FROM work_orders o JOIN reviews r ON r.id = o.review
				WHERE o.first_dispatched_at < o.created_at + 14400000 AND o.due_at >= ? AND o.due_at <= ?
				  AND o.appeal <> 'upheld' AND r.excluded IS NULL AND r.held IS NULL ORDER BY o.id LIMIT 1`), since, now.UnixMilli()).Scan(&late); err != nil {
				t.Fatal(err)
			}
			if err := st.DB().QueryRow(st.Rebind(`SELECT o.id, o.cause FROM work_orders o JOIN reviews r ON r.id = o.review
				WHERE o.cause <> '' AND o.due_at >= ? AND o.due_at <= ?
				  AND o.appeal <> 'upheld' AND r.excluded IS NULL AND r.held IS NULL ORDER BY o.id LIMIT 1`), since, now.UnixMilli()).Scan(&caused, &cause); err != nil {
				t.Fatal(err)
			}
			other := "duplicate"
			if cause == other {
				other = "careless"
			}
			for _, q := range []struct {
				sql  string
				args []any
			}{
				// dispatched ten days after it was opened, by its columns
				{"UPDATE work_orders SET first_dispatched_at = created_at + 864000000 WHERE id = ?", []any{late}},
				// another cause, judged the other way, than its history says
				{"UPDATE work_orders SET cause = ?, cause_at_fault = NOT cause_at_fault WHERE id = ?", []any{other, caused}},
				// as the store's writers do (orderDaysMark): the server
				// counts those orders' days again, from their columns,
				// instead of from the order rollups built before the edit
				{"UPDATE order_rollup_days SET dirty = TRUE", nil},
			} {
				if _, err := st.DB().Exec(st.Rebind(q.sql), q.args...); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add((1+board.StaleFor)*board.DefaultTTL + time.Second) // past the boards' cache and the bound they are served stale to
			setNow(now)
			found := map[string]bool{}
			for _, d := range check(t, st, srv, true).Differences {
				found["rollup"] = found["rollup"] || d.Scope == "district" && d.Member == code && d.Field == "indicators.stars.1"
				found["centre"] = found["centre"] || d.Scope == "centre" && d.Member == "12345" && d.Field == "indicators.undispatched_late"
				found["mix"] = found["mix"] || d.Scope == "city" && d.Field == "indicators.causes."+other
				found["share"] = found["share"] || d.Scope == "centre" && d.Field == "indicators.cause_at_fault_share"
			}
			for _, kind := range []string{"rollup", "centre", "mix", "share"} {
				if !found[kind] {
					t.Errorf("tampered %s: no difference found (found %v)", kind, found)
				}
			}
		})
	}
}

// A period that is not a standard one (from any day, over whole months)
// is published as the recount computes it from the raw rows, on both
// backends: its ended months are counted once and kept, its edge days
// for each request, and a day of changes is seen in both.
func TestRecountAgreesOverAnyPeriod(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st, setNow := demotest.City(t, dsn(t), 70)
			now := demotest.Now
			srv := serve(t, st)
			// October 5th to today: October's edge, the whole of November
			// and December's days.
			period := func() [][2]time.Time {
				today := calendar.Midnight(now)
				return [][2]time.Time{{time.Date(2026, 10, 5, 0, 0, 0, 0, calendar.Zone), today}}
			}
			run := func(when string) {
				t.Helper()
				res := checkOver(t, st, srv, period())
				if len(res.Differences) > 0 {
					t.Fatalf("%s: %d differences, first: %s", when, len(res.Differences), res.Differences[0])
				}
				if res.Members < 500 {
					t.Fatalf("%s: compared only %d members", when, res.Members)
				}
			}
			run("fresh demo")
			now = now.Add(24 * time.Hour)
			setNow(now)
			aDayOfChanges(t, st, now)
			run("after a day of changes")
		})
	}
}

// aDayOfChanges gives new reviews through intake and moves work orders
// on: some dispatched, some answered and closed, some not satisfied with
// their cause reviewed, some appealed and upheld.
func aDayOfChanges(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	ctx := context.Background()
	if err := demo.Load(ctx, st, demo.Options{Reviews: 200, Bad: 20, Seed: 8, Days: 1, Now: now}); err != nil {
		t.Fatal(err)
	}
	rows, err := st.Orders(ctx, workorder.Filter{Open: true, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := st.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	causes, err := st.Causes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type step = workorder.ChangeFunc
	reply := workorder.Reply{Findings: "核实", Rectification: "已整改", Answer: "已答复"}
	moved := 0
	for i, r := range rows {
		var steps []step
		switch i % 3 {
		case 0: // dispatched, answered, closed satisfied
			steps = []step{
				func(o *workorder.Order) (workorder.Change, error) {
					return o.Dispatch(now, cal, workorder.Assignment{Unit: r.RatedUnit, Complexity: workorder.Simple, Days: 1})
				},
				func(o *workorder.Order) (workorder.Change, error) { return o.Answer(now, reply) },
				func(o *workorder.Order) (workorder.Change, error) { return o.FollowUp(now, true, "") },
			}
		case 1: // answered, the citizen not satisfied, and the cause reviewed:
			// the unit at fault or not, in turn (R counts the latter as
			// rectified); some findings against the unit contested, and
			// changed or upheld by the supervisor
			cause := "careless"
			if i%2 == 0 {
				cause = "unreachable"
			}
			steps = []step{
				func(o *workorder.Order) (workorder.Change, error) { return o.Answer(now, reply) },
				func(o *workorder.Order) (workorder.Change, error) { return o.FollowUp(now, false, "仍未解决") },
				func(o *workorder.Order) (workorder.Change, error) { return o.RecordCause(now, causes, cause, "核查") },
			}
			if cause == "careless" {
				steps = append(steps,
					func(o *workorder.Order) (workorder.Change, error) { return o.ContestCause(now, "已多次联系") },
					func(o *workorder.Order) (workorder.Change, error) {
						return o.DecideCause(now, causes, i%4 == 1, "outside_remit", "经核查")
					})
			}
		case 2: // appealed and upheld
			steps = []step{
				func(o *workorder.Order) (workorder.Change, error) {
					return o.FileAppeal(now, workorder.GroundMistaken, "another unit's matter")
				},
				func(o *workorder.Order) (workorder.Change, error) { return o.DecideAppeal(now, true, "upheld") },
			}
		}
		for _, s := range steps {
			if _, _, err := st.ChangeOrder(ctx, r.ID, account.Actor{Role: account.Supervisor, Name: "sup"}, s); err != nil {
				break // not every state takes every step
			}
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("no order moved")
	}
}
