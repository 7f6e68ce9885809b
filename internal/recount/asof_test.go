package recount_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/demo/demotest"
	"github.com/haocha/haocha/internal/recount"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// TestRecountAsOfComputedTime: a board is held for up to a minute while
// rating windows close, the sweep writes their outcomes, reviews arrive
// and orders move. The check recounts each board as of the computed_at it
// publishes, so a check run 40 seconds after the boards were computed, on
// data changed since, finds no difference; recounted as of the check's own
// time, the same board would differ (the fault measured on a live demo:
// transactions, unrated_rate and participation).
func TestRecountAsOfComputedTime(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, setNow := demotest.City(t, dsn(t), 20)
			now := demotest.Now
			// The boards are computed 20 seconds before the next rating
			// windows close, and checked 20 seconds after.
			var next int64
			if err := st.DB().QueryRow(st.Rebind("SELECT MIN(rating_closes_at) FROM transactions WHERE rating_closes_at > ?"), now.UnixMilli()).Scan(&next); err != nil {
				t.Fatal(err)
			}
			closes := time.UnixMilli(next)
			now = closes.Add(-20 * time.Second)
			setNow(now)
			computed := now
			weighUnverified(t, st)
			srv := serve(t, st)
			if res := check(t, st, srv, true); len(res.Differences) > 0 {
				t.Fatalf("at the boards' time: %d differences, first: %s", len(res.Differences), res.Differences[0])
			}

			now = closes.Add(20 * time.Second) // within the boards' minute: they are held
			setNow(now)
			if _, err := st.CloseRatingWindows(ctx, now, false); err != nil {
				t.Fatal(err)
			}
			newReviews(t, st, srv.URL)
			moveOrders(t, st, now)

			res := check(t, st, srv, true)
			for _, d := range res.Differences {
				t.Error("after the changes:", d)
			}
			// The boards checked are those computed before the changes, and
			// the changes show as of the check's own time.
			city := cityAt(t, st, srv.URL, computed)
			atCheck := cityAt(t, st, srv.URL, now)
			for _, field := range []string{"n", "indicators.transactions"} {
				if city[field].String() == atCheck[field].String() {
					t.Errorf("%s is %s as of the boards and as of the check: the changes changed nothing the check could miss", field, city[field])
				}
			}
			t.Logf("%d members checked; as of the boards n %s, transactions %s; as of the check n %s, transactions %s",
				res.Members, city["n"], city["indicators.transactions"], atCheck["n"], atCheck["indicators.transactions"])
		})
	}
}

// weighUnverified sets unverified_weight to 0.5 in definition version 3,
// as an administrator may (data, not code), so that an online review
// without proof of a visit counts.
func weighUnverified(t *testing.T, st *store.Store) {
	t.Helper()
	res, err := st.DB().Exec(`UPDATE index_definitions SET definition = REPLACE(definition, '"unverified_weight":0,', '"unverified_weight":0.5,') WHERE version = 3`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("unverified_weight set in %d definitions, want 1", n)
	}
}

// cityAt recounts the city over the last 30 days as of at, under the
// definition the server publishes.
func cityAt(t *testing.T, st *store.Store, server string, at time.Time) recount.Member {
	t.Helper()
	ctx := context.Background()
	cal, err := st.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := recount.StandardPeriods(at)[0]
	resp, err := http.Get(server + "/api/v1/index/definition?period=" + p[1].Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var def struct {
		Definition recount.Definition `json:"definition"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&def); err != nil {
		t.Fatal(err)
	}
	got, err := recount.Recount(ctx, st.DB(), recount.Period{Scope: "city", From: p[0], To: p[1], Now: at, Def: def.Definition, Workday: cal.IsWorkday, Tags: review.TagNames()})
	if err != nil {
		t.Fatal(err)
	}
	return got["city"]
}

// newReviews gives three online reviews through POST /api/v1/reviews,
// at the store's now, of the items and stages of reported transactions.
// They name no transaction (a citizen's proof of one is an invitation
// link or a device's prompt), so they are unverified: they count once an
// administrator gives unverified reviews a weight (weighUnverified).
func newReviews(t *testing.T, st *store.Store, server string) {
	t.Helper()
	rows, err := st.DB().Query(st.Rebind(`SELECT number, channel, item, stages FROM transactions t
		WHERE rating_closes_at > ? AND channel NOT IN ('window', 'tablet') -- those need the workstation's code
		  AND NOT EXISTS (SELECT 1 FROM review_transactions rt WHERE rt.txn = t.number)
		ORDER BY number LIMIT 3`), st.Now().UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	var open [][4]string
	for rows.Next() {
		var r [4]string
		if err := rows.Scan(&r[0], &r[1], &r[2], &r[3]); err != nil {
			t.Fatal(err)
		}
		open = append(open, r)
	}
	rows.Close() // before intake writes: SQLite has one writer
	if len(open) == 0 {
		t.Fatal("no open transaction to review")
	}
	for i, r := range open {
		body := fmt.Sprintf(`{"channel":%q,"item":%q,"stage":%q,"stars":%d,"anonymous":true}`,
			r[1], r[2], strings.Fields(r[3])[0], 1+i*2)
		resp, err := http.Post(server+"/api/v1/reviews", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
			t.Fatalf("POST /api/v1/reviews %s: %s %s", body, resp.Status, answer)
		}
	}
}

// moveOrders moves open orders on at now: the new dispatched, the
// dispatched contacted and answered, the answered followed up.
func moveOrders(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	ctx := context.Background()
	cal, err := st.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := st.Orders(ctx, workorder.Filter{Open: true, Limit: 60})
	if err != nil {
		t.Fatal(err)
	}
	reply := workorder.Reply{Findings: "核实", Rectification: "已整改", Answer: "已答复"}
	moved := 0
	for _, r := range rows {
		for _, step := range []workorder.ChangeFunc{
			func(o *workorder.Order) (workorder.Change, error) {
				return o.Dispatch(now, cal, workorder.Assignment{Unit: r.RatedUnit, Complexity: workorder.Simple, Days: 1})
			},
			func(o *workorder.Order) (workorder.Change, error) { return o.RecordContact(now, "已联系") },
			func(o *workorder.Order) (workorder.Change, error) { return o.Answer(now, reply) },
			func(o *workorder.Order) (workorder.Change, error) { return o.FollowUp(now, true, "") },
		} {
			if _, _, err := st.ChangeOrder(ctx, r.ID, account.Actor{Role: account.Supervisor, Name: "sup"}, step); err == nil {
				moved++
			}
		}
	}
	if moved == 0 {
		t.Fatal("no order moved")
	}
}
