package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/recount"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// TestVerifyAfterADayOfChanges (issue 18, "done when the recomputation
// finds no difference on a fresh demo and after a day of changes"): the
// server as `haocha serve` wires it, over a demo city, is checked from
// outside (`index verify --server`, with a supervisor's token so that the
// operators' own figures are checked too) at the start; then a day passes
// in three-hour steps through the product's own paths: reviews given on
// several channels through POST /api/v1/reviews, work orders dispatched,
// contacted, answered, followed up, found not satisfied with their cause
// recorded, re-dispatched, escalated, appealed and decided by the work-order
// service with each role's actor, and the scheduler's tick after each step
// (overdue and escalation sweeps, rating windows closing). The check at
// the end of the day finds no difference either; an operator's figure
// edited by hand is then found.
func TestVerifyAfterADayOfChanges(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			start := time.Date(2026, 12, 9, 8, 30, 0, 0, calendar.Zone) // a Wednesday
			now := start
			m, err := app.Open(ctx, app.Config{DB: dsn(t), Demo: demo.Options{Reviews: 1500, Bad: 120, Seed: 11, Days: 20, Now: now},
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Loop: app.LoopConfig{Out: io.Discard}})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			m.Store.Now = func() time.Time { return now }
			// An administrator weighs unverified reviews at 0.5 (data, not
			// code), so that the day's online reviews count.
			if _, err := m.Store.DB().Exec(`UPDATE index_definitions SET definition = REPLACE(definition, '"unverified_weight":0,', '"unverified_weight":0.5,') WHERE version = 3`); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(m.Handler())
			defer srv.Close()
			secret := account.NewToken()
			if _, err := m.Store.IssueToken(ctx, "supervisor", secret, "verify", 24*time.Hour*30, "test"); err != nil {
				t.Fatal(err)
			}
			verify := func(when string) {
				t.Helper()
				began := time.Now()
				res := verifyServer(t, m.Store, srv.URL, secret)
				for _, d := range res.Differences {
					t.Errorf("%s: %s", when, d)
				}
				if !res.Operators || res.Members < 500 {
					t.Errorf("%s: %d members compared, operators %v", when, res.Members, res.Operators)
				}
				t.Logf("%s: %d members, %d requests, %d differences, %s", when, res.Members, res.Requests, len(res.Differences), time.Since(began).Round(time.Millisecond))
			}
			verify("fresh demo")

			day := newDay(t, m, srv.URL)
			for step := range 8 {
				now = start.Add(time.Duration(step)*3*time.Hour + time.Minute)
				day.reviews(step)
				day.orders(step)
				if _, err := m.Scheduler.Tick(ctx); err != nil {
					t.Fatalf("scheduler at %s: %v", now, err)
				}
			}
			now = start.Add(24*time.Hour + board.DefaultTTL)
			if _, err := m.Scheduler.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			day.report(t)
			verify("after a day of changes")

			// An order's contest marked changed by hand, which its history
			// does not say: the operator's causes_changed differs.
			var order int64
			var login string
			if err := m.Store.DB().QueryRow(`SELECT s.work_order, s.account FROM work_order_steps s JOIN work_orders o ON o.id = s.work_order
				WHERE s.action = 'cause' AND s.actor = 'operator' AND s.account <> '' AND o.cause_contest <> 'changed'
				ORDER BY s.id DESC LIMIT 1`).Scan(&order, &login); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Store.DB().Exec(m.Store.Rebind("UPDATE work_orders SET cause_contest = 'changed' WHERE id = ?"), order); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, d := range verifyServer(t, m.Store, srv.URL, secret).Differences {
				found = found || d.Scope == "operators" && d.Member == login && d.Field == "causes_changed"
			}
			if !found {
				t.Errorf("order %d's contest marked changed by hand: no difference in %s's causes_changed", order, login)
			}
		})
	}
}

// verifyServer runs `haocha index verify --server` over the 30 days to
// today (the demo's days lie in every standard period alike).
func verifyServer(t *testing.T, st *store.Store, server, token string) recount.Result {
	t.Helper()
	ctx := context.Background()
	cal, err := st.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := recount.Check{Server: server, DB: st.DB(), Now: st.Now(), Workday: cal.IsWorkday, Tags: review.TagNames(), Token: token}
	c.Periods = recount.StandardPeriods(c.Now)[:1]
	res, err := c.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// aDay plays a day's changes through the product's paths.
type aDay struct {
	t      *testing.T
	m      *app.Main
	server string
	// scripts are the orders open at the start, each with the actions it
	// takes one a step.
	scripts []script
	given   map[string]int // reviews given, by channel
	done    map[string]int // actions taken, by action
}

type script struct {
	id      int64
	unit    string
	actions []act
}

type act struct {
	who    account.Actor
	action workorder.Action
	in     workorder.Input
}

func newDay(t *testing.T, m *app.Main, server string) *aDay {
	t.Helper()
	rows, err := m.Store.Orders(context.Background(), workorder.Filter{Open: true, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	d := &aDay{t: t, m: m, server: server, given: map[string]int{}, done: map[string]int{}}
	yes, no := true, false
	for i, r := range rows {
		op := account.Actor{Role: account.Operator, Name: []string{"operator", "operator2"}[i%2]}
		sup := account.Actor{Role: account.Supervisor, Name: "supervisor"}
		unit := r.RatedUnit
		handler := account.Actor{Role: account.Handler, Name: "handler", Unit: unit}
		dispatch := act{op, workorder.ActDispatch, workorder.Input{Unit: unit, Complexity: workorder.Simple, Days: 1 + i%3}}
		contact := act{handler, workorder.ActContact, workorder.Input{Note: "已电话联系"}}
		reply := act{handler, workorder.ActReply, workorder.Input{Findings: "核实", Rectification: "已整改", Answer: "已答复"}}
		var actions []act
		switch i % 6 {
		case 0: // the whole loop, satisfied
			actions = []act{dispatch, contact, reply, {op, workorder.ActFollowUp, workorder.Input{Satisfied: &yes}}}
		case 1: // not satisfied: the cause reviewed, and another round
			actions = []act{dispatch, contact, reply, {op, workorder.ActFollowUp, workorder.Input{Satisfied: &no, Reason: "仍未解决"}},
				{op, workorder.ActRecordCause, workorder.Input{Cause: "careless", Note: "核查"}},
				{op, workorder.ActRedispatch, workorder.Input{Unit: unit, Complexity: workorder.Simple, Days: 2}}, reply}
		case 2: // escalated by the General Office and re-dispatched
			actions = []act{dispatch, {sup, workorder.ActEscalate, workorder.Input{Note: "督办"}},
				{op, workorder.ActRedispatch, workorder.Input{Unit: unit, Complexity: workorder.Complex, Days: 5}}, contact}
		case 3: // appealed by the unit, upheld or not in turn
			actions = []act{dispatch, {handler, workorder.ActAppeal, workorder.Input{Ground: string(workorder.GroundMistaken), Reason: "非本单位事项"}},
				{sup, workorder.ActDecideAppeal, workorder.Input{Uphold: []*bool{&yes, &no}[i/6%2], Note: "经核查"}}}
		case 4: // answered late in the day, never followed up
			actions = []act{{}, {}, {}, dispatch, {}, reply}
		}
		d.scripts = append(d.scripts, script{id: r.ID, unit: unit, actions: actions}) // case 5: left undispatched
	}
	return d
}

// reviews gives reviews on every channel but the window's and the
// tablet's (which take the workstation's signed code), two a channel a
// step, through POST /api/v1/reviews, of the items and stages of open
// transactions. They name no transaction (a citizen's proof of one is an
// invitation link or a device's prompt), so they are unverified, and
// count where the definition weighs them.
func (d *aDay) reviews(step int) {
	t := d.t
	t.Helper()
	st := d.m.Store
	rows, err := st.DB().Query(st.Rebind(`SELECT number, channel, item, stages FROM transactions t
		WHERE rating_closes_at > ? AND channel NOT IN ('window', 'tablet')
		  AND NOT EXISTS (SELECT 1 FROM review_transactions rt WHERE rt.txn = t.number)
		ORDER BY channel, number`), st.Now().UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	var open [][4]string
	perChannel := map[string]int{}
	for rows.Next() {
		var r [4]string
		if err := rows.Scan(&r[0], &r[1], &r[2], &r[3]); err != nil {
			t.Fatal(err)
		}
		if perChannel[r[1]] < 2 {
			perChannel[r[1]]++
			open = append(open, r)
		}
	}
	rows.Close() // before intake writes: SQLite has one writer
	for i, r := range open {
		stars := 1 + (step+i)%5
		body := fmt.Sprintf(`{"channel":%q,"item":%q,"stage":%q,"stars":%d,"anonymous":true,"comment":"第%d步"}`,
			r[1], r[2], strings.Fields(r[3])[0], stars, step)
		resp, err := http.Post(d.server+"/api/v1/reviews", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
			t.Fatalf("POST /api/v1/reviews %s: %s %s", body, resp.Status, answer)
		}
		d.given[r[1]]++
	}
}

// orders takes each order's action of the step, as the consoles and the
// API do (workorder.Service.Act).
func (d *aDay) orders(step int) {
	for _, s := range d.scripts {
		if step >= len(s.actions) || s.actions[step].action == "" {
			continue
		}
		a := s.actions[step]
		if _, err := d.m.Orders.Act(context.Background(), a.who, s.id, a.action, a.in); err == nil {
			d.done[a.action.Verb()]++
		}
	}
}

// report says what the day did, and fails when a kind of change is
// missing from it.
func (d *aDay) report(t *testing.T) {
	t.Helper()
	t.Logf("a day of changes: reviews by channel %v; actions %v", d.given, d.done)
	if len(d.given) < 2 {
		t.Errorf("reviews given on %d channels, want several", len(d.given))
	}
	for _, a := range []workorder.Action{workorder.ActDispatch, workorder.ActContact, workorder.ActReply, workorder.ActFollowUp,
		workorder.ActRecordCause, workorder.ActRedispatch, workorder.ActEscalate, workorder.ActAppeal, workorder.ActDecideAppeal} {
		if d.done[a.Verb()] == 0 {
			t.Errorf("no order took %s", a.Verb())
		}
	}
}
