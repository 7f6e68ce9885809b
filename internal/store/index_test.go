package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// Old periods keep version 1; a period whose last day is on or after
// 1 December 2026 is computed under version 2 (issue 18), on or after
// 6 December under version 3 (issues 16 and 18).
func TestSeededDefinitionsByPeriod(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		for _, c := range []struct {
			to   time.Time
			want index.Definition
		}{
			{time.Date(2026, 11, 30, 0, 0, 0, 0, calendar.Zone), index.V1()},
			{time.Date(2025, 12, 31, 0, 0, 0, 0, calendar.Zone), index.V1()},
			{time.Date(2026, 12, 1, 0, 0, 0, 0, calendar.Zone), index.V2()},
			{time.Date(2026, 12, 5, 0, 0, 0, 0, calendar.Zone), index.V2()},
			{time.Date(2026, 12, 6, 0, 0, 0, 0, calendar.Zone), index.V3()},
			{time.Date(2026, 12, 31, 0, 0, 0, 0, calendar.Zone), index.V3()},
		} {
			d, err := st.DefinitionFor(context.Background(), c.to)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, d); diff != "" {
				t.Errorf("definition of a period ending %s (-want +stored):\n%s", c.to.Format(time.DateOnly), diff)
			}
		}
	})
}

// TestIndexCountsMatchReviews loads demo reviews, walks work orders through
// different lives, and checks IndexCounts for every scope and a few periods
// against counts made in Go from the rows themselves.
func TestIndexCountsMatchReviews(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, dsn(t))
			if err := demo.Load(ctx, st, demo.Options{Reviews: 2000, Bad: 200, Seed: 7, Frozen: true, Now: time.Date(2026, 8, 5, 12, 0, 0, 0, calendar.Zone)}); err != nil {
				t.Fatal(err)
			}
			cal, err := st.Calendar(ctx)
			if err != nil {
				t.Fatal(err)
			}
			liveOrders(t, st, cal)
			// Every order is due by now: one not yet due is not counted.
			st.Now = func() time.Time { return time.Date(2026, 10, 12, 12, 0, 0, 0, calendar.Zone) }
			rows := rawRows(t, st)
			day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, calendar.Zone) }
			periods := [][2]time.Time{{day(7, 1), day(9, 30)}, {day(7, 25), day(7, 31)}, {day(7, 22), day(7, 22)}}
			for _, p := range periods {
				for _, sc := range index.Scopes {
					if !sc.Grouped() {
						continue
					}
					got, err := st.IndexCounts(ctx, sc, p[0], p[1])
					if err != nil {
						t.Fatal(err)
					}
					want := rows.counts(sc, p[0], p[1].AddDate(0, 0, 1), cal, st.Now())
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("scope %s, %s to %s (-go +store):\n%s", sc, p[0].Format(time.DateOnly), p[1].Format(time.DateOnly), diff)
					}
					// The one-read path answers the same, and the city's too.
					both, city, err := st.IndexCountsWithCity(ctx, sc, p[0], p[1])
					if err != nil {
						t.Fatal(err)
					}
					wantCity := rows.counts(index.City, p[0], p[1].AddDate(0, 0, 1), cal, st.Now())["city"]
					if diff := cmp.Diff(want, both); diff != "" {
						t.Errorf("with city: scope %s, %s to %s (-go +store):\n%s", sc, p[0].Format(time.DateOnly), p[1].Format(time.DateOnly), diff)
					}
					if diff := cmp.Diff(wantCity, city); diff != "" {
						t.Errorf("with city: the city beside %s, %s to %s (-go +store):\n%s", sc, p[0].Format(time.DateOnly), p[1].Format(time.DateOnly), diff)
					}
				}
			}
			// The whole period holds orders in every life, so the test
			// cannot pass on empty order counts.
			all, _ := st.IndexCounts(ctx, index.City, periods[0][0], periods[0][1])
			o := all["city"].Orders
			if o.Rectified == 0 || o.Redispatched == 0 || o.Escalated == 0 || o.AppealsUpheld == 0 || o.UndispatchedLate == 0 || o.RepliedOnTime == 0 {
				t.Errorf("city order counts miss a life: %+v", o)
			}
		})
	}
}

// liveOrders takes the first 60 work orders through six different lives.
func liveOrders(t *testing.T, st *store.Store, cal *calendar.Calendar) {
	t.Helper()
	ctx := context.Background()
	r, err := st.DB().Query("SELECT id FROM work_orders ORDER BY id LIMIT 60")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for r.Next() {
		var id int64
		r.Scan(&id)
		ids = append(ids, id)
	}
	r.Close()
	if len(ids) < 30 {
		t.Fatalf("only %d work orders in the demo", len(ids))
	}
	actor := account.Actor{Role: account.Supervisor, Name: "sup"}
	for i, id := range ids {
		o, err := st.Order(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		at := o.CreatedAt
		step := func(hours int, fn func(o *workorder.Order, now time.Time) (workorder.Change, error)) {
			at = at.Add(time.Duration(hours) * time.Hour)
			if _, _, err := st.ChangeOrder(ctx, id, actor, func(o *workorder.Order) (workorder.Change, error) { return fn(o, at) }); err != nil {
				t.Fatalf("order %d, life %d: %v", id, i%6, err)
			}
		}
		dispatch := func(o *workorder.Order, now time.Time) (workorder.Change, error) {
			return o.Dispatch(now, cal, workorder.Assignment{Unit: "SHGA", Complexity: workorder.Complex, Days: 5})
		}
		contact := func(o *workorder.Order, now time.Time) (workorder.Change, error) {
			return o.RecordContact(now, "called")
		}
		reply := func(o *workorder.Order, now time.Time) (workorder.Change, error) {
			return o.Answer(now, workorder.Reply{Findings: "f", Rectification: "r", Answer: "a"})
		}
		follow := func(ok bool) func(o *workorder.Order, now time.Time) (workorder.Change, error) {
			return func(o *workorder.Order, now time.Time) (workorder.Change, error) { return o.FollowUp(now, ok, "why") }
		}
		switch i % 6 {
		case 0: // never dispatched
		case 1: // on time, satisfied at once
			step(2, dispatch)
			step(1, contact)
			step(30, reply)
			step(20, follow(true))
		case 2: // late, not satisfied, re-dispatched and escalated
			step(2, dispatch)
			step(24*40, reply)
			step(1, follow(false))
			step(1, func(o *workorder.Order, now time.Time) (workorder.Change, error) {
				return o.Redispatch(now, cal, workorder.Assignment{Unit: "310101", Complexity: workorder.Simple, Days: 1})
			})
			step(1, func(o *workorder.Order, now time.Time) (workorder.Change, error) {
				return o.Escalate(now, "no progress")
			})
		case 3: // appealed and upheld
			step(2, dispatch)
			step(3, func(o *workorder.Order, now time.Time) (workorder.Change, error) {
				return o.FileAppeal(now, workorder.GroundMistaken, "another unit")
			})
			step(3, func(o *workorder.Order, now time.Time) (workorder.Change, error) {
				return o.DecideAppeal(now, true, "so it is")
			})
		case 4: // dispatched three days late, contacted late, still open
			step(72, dispatch)
			step(60, contact)
		case 5: // replied, not satisfied, then satisfied in round 2
			step(1, dispatch)
			step(5, contact)
			step(5, reply)
			step(5, follow(false))
			step(1, func(o *workorder.Order, now time.Time) (workorder.Change, error) {
				return o.Redispatch(now, cal, workorder.Assignment{Unit: "SHGA", Complexity: workorder.Simple, Days: 2})
			})
			step(5, reply)
			step(5, follow(true))
		}
	}
}

// raw is the reviews and work orders as stored, for counting in Go.
type raw struct {
	reviews []rawReview
	orders  []rawOrder
	agency  map[string]bool
	set     review.DimensionSet
	txns    []index.TransactionRow // whose rating window closed
}

type rawReview struct {
	id       int64
	at       time.Time
	codes    map[index.Scope]string
	stars    int
	tags     review.TagSet
	scores   [4]sql.NullInt64
	excluded bool
	anon     bool
	channel  string
	origin   string
	level    string // verification
}

type rawOrder struct {
	order *workorder.Order
	r     rawReview
}

func rawRows(t *testing.T, st *store.Store) raw {
	t.Helper()
	ctx := context.Background()
	out := raw{agency: map[string]bool{}}
	var err error
	if out.set, err = st.ActiveDimensionSet(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := st.DB().Query(`SELECT id, created_at, channel, item, stage, unit, district, hall, window_code, workstation, staff,
		stars, tags, score1, score2, score3, score4, excluded, anonymous, origin, verification FROM reviews`)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]rawReview{}
	for rows.Next() {
		var r rawReview
		var ms int64
		var channel, item, stage, unit string
		var district, hall, window, ws, staff, excluded sql.NullString
		if err := rows.Scan(&r.id, &ms, &channel, &item, &stage, &unit, &district, &hall, &window, &ws, &staff,
			&r.stars, &r.tags, &r.scores[0], &r.scores[1], &r.scores[2], &r.scores[3], &excluded, &r.anon, &r.origin, &r.level); err != nil {
			t.Fatal(err)
		}
		r.at, r.excluded, r.channel = time.UnixMilli(ms), excluded.Valid, channel
		r.codes = map[index.Scope]string{
			index.City: "city", index.Unit: unit, index.Agency: unit, index.Item: item, index.Stage: stage, index.Channel: channel,
			index.District: district.String, index.Hall: hall.String, index.Window: window.String,
			index.Workstation: ws.String, index.Staff: staff.String,
		}
		out.reviews = append(out.reviews, r)
		byID[r.id] = r
	}
	rows.Close()
	units, err := st.DB().Query("SELECT code FROM units WHERE kind = 'agency'")
	if err != nil {
		t.Fatal(err)
	}
	for units.Next() {
		var c string
		units.Scan(&c)
		out.agency[c] = true
	}
	units.Close()
	var ids []int64
	ors, err := st.DB().Query("SELECT id FROM work_orders")
	if err != nil {
		t.Fatal(err)
	}
	for ors.Next() {
		var id int64
		ors.Scan(&id)
		ids = append(ids, id)
	}
	ors.Close()
	for _, id := range ids {
		o, err := st.Order(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		out.orders = append(out.orders, rawOrder{order: o, r: byID[o.Review]})
	}
	out.txns = rawTransactions(t, st, byID, out.agency)
	return out
}

// rawTransactions reads the transactions whose window closed by the
// store's now (whether or not the sweep has written their outcome), each
// rated when a citizen's review is bound to it, with the reviews citizens
// gave of it by channel, read through review_transactions and counted
// here.
func rawTransactions(t *testing.T, st *store.Store, byID map[int64]rawReview, agency map[string]bool) []index.TransactionRow {
	t.Helper()
	reviews := map[string]map[string]int64{}
	rated := map[string]bool{}
	links, err := st.DB().Query("SELECT txn, review FROM review_transactions")
	if err != nil {
		t.Fatal(err)
	}
	for links.Next() {
		var txn string
		var id int64
		links.Scan(&txn, &id)
		rated[txn] = rated[txn] || byID[id].origin != "default"
		if r := byID[id]; !r.excluded && r.origin != "default" {
			if reviews[txn] == nil {
				reviews[txn] = map[string]int64{}
			}
			reviews[txn][r.channel]++
		}
	}
	links.Close()
	rows, err := st.DB().Query(st.Rebind(`SELECT number, rating_closes_at, unit, district, hall, window_code, workstation, staff, item, channel
		FROM transactions WHERE rating_closes_at <= ?`), st.Now().UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []index.TransactionRow
	for rows.Next() {
		var number, unit, item, channel string
		var ms int64
		var district, hall, window, ws, staff sql.NullString
		if err := rows.Scan(&number, &ms, &unit, &district, &hall, &window, &ws, &staff, &item, &channel); err != nil {
			t.Fatal(err)
		}
		out = append(out, index.TransactionRow{ClosesAt: time.UnixMilli(ms), Agency: agency[unit], Rated: rated[number],
			Reviews: reviews[number], Codes: map[index.Scope]string{index.City: "city", index.Unit: unit, index.Agency: unit,
				index.District: district.String, index.Hall: hall.String, index.Window: window.String, index.Workstation: ws.String,
				index.Staff: staff.String, index.Item: item, index.Channel: channel}})
	}
	return out
}

// count counts review r in c.
func (x raw) count(c *index.Counts, r rawReview) {
	c.N++
	c.Stars[r.stars-1]++
	if r.origin != "default" {
		c.ActiveStars[r.stars-1]++
	}
	if r.origin == "transaction" {
		c.Linked++
	}
	for _, tag := range r.tags.List() {
		if c.Tags == nil {
			c.Tags = map[string]int64{}
		}
		c.Tags[string(tag)]++
	}
	for i, s := range r.scores {
		if s.Valid {
			if c.DimensionSum == nil {
				c.DimensionSum, c.DimensionCount = map[string]int64{}, map[string]int64{}
			}
			d := x.set.Dimensions[i].Code
			c.DimensionSum[d] += s.Int64
			c.DimensionCount[d]++
		}
	}
}

// counts counts, one row at a time, what IndexCounts should answer.
func (x raw) counts(sc index.Scope, start, end time.Time, cal *calendar.Calendar, now time.Time) map[string]index.Counts {
	out := map[string]index.Counts{}
	for _, r := range x.reviews {
		code := r.codes[sc]
		if r.excluded || r.at.Before(start) || !r.at.Before(end) || code == "" || (sc == index.Agency && !x.agency[code]) {
			continue
		}
		c := out[code]
		x.count(&c, r)
		if r.level == "unverified" { // counted apart too, for V3
			if c.Unverified == nil {
				c.Unverified = &index.Counts{}
			}
			x.count(c.Unverified, r)
		}
		out[code] = c
	}
	for _, ro := range x.orders {
		o := ro.order
		code := ro.r.codes[sc]
		if (sc == index.Unit || sc == index.Agency) && o.Unit != "" {
			code = o.Unit
		}
		io := index.OrderOf(o, ro.r.anon)
		due := io.DueTime(cal)
		if code == "" || (sc == index.Agency && !x.agency[code]) || due.Before(start) || !due.Before(end) ||
			(ro.r.excluded && o.Appeal != workorder.AppealUpheld) {
			continue
		}
		c := out[code]
		c.Orders.AddOrder(io, cal, now)
		out[code] = c
	}
	if sc != index.Stage { // a transaction has several stages
		index.CountTransactions(sc, x.txns, start, end, out)
	}
	return out
}
