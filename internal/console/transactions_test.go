package console_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store"
)

// integration adds an integration account bound to units.
func (e *env) integration(login string, units ...string) {
	e.t.Helper()
	e.addUser(account.User{Login: login, Role: account.Integration})
	u, err := e.st.UserByLogin(context.Background(), login)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.BindIntegrationUnits(context.Background(), u.ID, units); err != nil {
		e.t.Fatal(err)
	}
}

// txn is a record of a transaction served at workstation H1-W1-01 of unit
// A, finished an hour before the clock, with fields replaced by over.
func (e *env) txn(number string, over map[string]any) map[string]any {
	fin := e.clock.Now().Add(-time.Hour)
	rec := map[string]any{"number": number, "item": "SHGA-001", "stages": []string{"acceptance"}, "unit": unitA,
		"workstation": "H1-W1-01", "applicant_kind": "person",
		"accepted_at": fin.Add(-20 * time.Minute).Format(time.RFC3339), "finished_at": fin.Format(time.RFC3339)}
	for k, v := range over {
		if v == nil {
			delete(rec, k)
		} else {
			rec[k] = v
		}
	}
	return rec
}

// report posts records as who and returns each record's status and field.
func (e *env) report(who string, recs ...map[string]any) []string {
	e.t.Helper()
	out := e.must(http.StatusOK, "POST", "/api/v1/transactions", who, map[string]any{"transactions": recs})
	var got []string
	for _, r := range out["results"].([]any) {
		m := r.(map[string]any)
		s := m["status"].(string)
		if f, _ := m["field"].(string); f != "" {
			s += ":" + f
		}
		got = append(got, s)
	}
	return got
}

func same(a, b []string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// TestTransactionBatch: a business system's batch is answered record by
// record; a repeat is unchanged, a repeat with other content an error; an
// account reports only for its units, and no other role reports at all.
func TestTransactionBatch(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		e.integration("sysA", unitA)
		got := e.report("sysA",
			e.txn("T1", map[string]any{"phone": "138 0000 0001"}),
			e.txn("T2", map[string]any{"stages": []string{"review"}}),
			e.txn("T3", map[string]any{"unit": unitB, "workstation": nil, "channel": "app"}),
			e.txn("T4", map[string]any{"workstation": nil, "channel": "app"}),
			e.txn("T5", map[string]any{"finished_at": nil}),
			e.txn("T6", map[string]any{"workstation": nil}),
			e.txn("T7", map[string]any{"applicant_kind": "robot"}),
			e.txn("T1", map[string]any{"phone": "138 0000 0001"}),
		)
		want := []string{"created", "error:stages", "error:unit", "created", "error:finished_at", "error:channel",
			"error:applicant_kind", "unchanged"}
		if !same(got, want) {
			t.Fatalf("first batch: %v, want %v", got, want)
		}
		// The business system retries: nothing changes; a changed record is refused.
		got = e.report("sysA", e.txn("T1", nil), e.txn("T4", map[string]any{"workstation": nil, "channel": "pc"}))
		if want := []string{"unchanged", "error:number"}; !same(got, want) {
			t.Errorf("retry: %v, want %v", got, want)
		}
		tr, err := e.st.Transaction(context.Background(), "T1")
		if err != nil || tr.Hall != "H1" || tr.Staff != "S1" || tr.Channel != "window" {
			t.Errorf("T1 stored as %+v, %v: want hall H1, staff S1 from the workstation, channel window", tr, err)
		}
		if phone, err := e.st.TransactionPhone(context.Background(), "T1"); err != nil || phone != "13800000001" {
			t.Errorf("T1's phone %q, %v", phone, err)
		}
		for who, want := range map[string]int{"": 401, "operator": 403, "handlerA": 403, "admin": 403} {
			if got, out := e.call("POST", "/api/v1/transactions", who,
				map[string]any{"transactions": []any{e.txn("T9", nil)}}); got != want {
				t.Errorf("as %q: %d %v, want %d", who, got, out, want)
			}
		}
		many := make([]map[string]any, 1001)
		for i := range many {
			many[i] = e.txn(fmt.Sprintf("B%d", i), nil)
		}
		if got, out := e.call("POST", "/api/v1/transactions", "sysA", map[string]any{"transactions": many}); got != 422 || out["field"] != "transactions" {
			t.Errorf("1,001 records: %d %v, want 422 naming transactions", got, out)
		}
		if got, out := e.call("POST", "/api/v1/transactions", "sysA", map[string]any{"transactions": many[:1000]}); got != 200 || out["created"] != 1000.0 {
			t.Errorf("1,000 records: %d created %v, want 200 and 1000", got, out["created"])
		}
	})
}

// reviewRow reads what was stored of the review of a transaction.
func reviewRow(t *testing.T, st *store.Store, txn string) string {
	t.Helper()
	var item, stage, unit, ws, staff, origin string
	err := st.DB().QueryRow(st.Rebind("SELECT item, stage, unit, COALESCE(workstation, ''), COALESCE(staff, ''), origin FROM reviews WHERE txn = ?"), txn).
		Scan(&item, &stage, &unit, &ws, &staff, &origin)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(item, " ", stage, " ", unit, " ", ws, " ", staff, " ", origin)
}

// TestReviewOfTransaction: a review naming a reported transaction takes its
// codes from it; codes that disagree, or a review after the window, are
// refused naming the field; an unreported number is refused.
func TestReviewOfTransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		e.integration("sysA", unitA)
		e.report("sysA", e.txn("T1", nil), e.txn("T2", map[string]any{"workstation": nil, "channel": "app"}))
		e.must(201, "POST", "/api/v1/reviews", "", map[string]any{"channel": "window", "transaction": "T1", "stars": 5, "anonymous": true})
		if got, want := reviewRow(t, e.st, "T1"), "SHGA-001 acceptance 310101 H1-W1-01 S1 transaction"; got != want {
			t.Errorf("review of T1 stored as %q, want %q", got, want)
		}
		for _, tc := range []struct {
			sub   map[string]any
			field string
		}{
			{map[string]any{"item": "OTHER-1"}, "item"},
			{map[string]any{"unit": unitB}, "unit"},
			{map[string]any{"channel": "window", "workstation": "H1-W1-01"}, "workstation"},
			{map[string]any{"stage": "decision"}, "stage"},
		} {
			sub := map[string]any{"channel": "app", "transaction": "T2", "stars": 4, "anonymous": true}
			for k, v := range tc.sub {
				sub[k] = v
			}
			if got, out := e.call("POST", "/api/v1/reviews", "", sub); got != 422 || out["field"] != tc.field {
				t.Errorf("%v: %d %v, want 422 naming %s", tc.sub, got, out, tc.field)
			}
		}
		// Issue 16: a number nobody reported gets the refusal of one not the
		// caller's, so that answers tell a guesser nothing.
		if got, out := e.call("POST", "/api/v1/reviews", "", map[string]any{"channel": "pc", "transaction": "FREE-1", "item": "SHGA-001",
			"stage": "acceptance", "stars": 4, "anonymous": true}); got != 403 || out["field"] != "transaction" {
			t.Errorf("an unreported number: %d %v, want 403 naming transaction", got, out)
		}
		e.clock.Add(15 * 24 * time.Hour)
		if got, out := e.call("POST", "/api/v1/reviews", "", map[string]any{"channel": "app", "transaction": "T2", "stars": 4, "anonymous": true}); got != 422 || out["field"] != "transaction" {
			t.Errorf("after the window: %d %v, want 422 naming transaction", got, out)
		}
	})
}

// TestRatingWindowsClose: four transactions, two reviewed (5 and 2 stars).
// When their windows close, two are unrated: 未评率 2/4 = 0.5 whatever the
// policy. Policy off: n = 2, 好评率 = 主动评价好评率 = 1/2. Policy on: two
// default reviews of 4 stars join, n = 4, 好评率 = 3/4 = 0.75, but
// 主动评价好评率 stays 1/2. Closing again changes nothing.
func TestRatingWindowsClose(t *testing.T) {
	for _, defaults := range []bool{false, true} {
		t.Run(fmt.Sprintf("default-review=%v", defaults), func(t *testing.T) {
			eachBackend(t, func(t *testing.T, e *env) {
				ctx := context.Background()
				e.integration("sysA", unitA)
				e.report("sysA", e.txn("T1", nil), e.txn("T2", nil), e.txn("T3", nil), e.txn("T4", nil))
				e.must(201, "POST", "/api/v1/reviews", "", map[string]any{"channel": "window", "transaction": "T1", "stars": 5, "anonymous": true})
				e.must(201, "POST", "/api/v1/reviews", "", map[string]any{"channel": "window", "transaction": "T2", "stars": 2, "anonymous": true})
				from := e.clock.Now()
				if c, err := e.st.CloseRatingWindows(ctx, e.clock.Now(), defaults); err != nil || c != (store.Closed{}) {
					t.Fatalf("windows open: closed %+v, %v", c, err)
				}
				e.clock.Add(16 * 24 * time.Hour)
				c, err := e.st.CloseRatingWindows(ctx, e.clock.Now(), defaults)
				want := store.Closed{Rated: 2, Unrated: 2}
				if defaults {
					want = store.Closed{Rated: 2, Defaulted: 2}
				}
				if err != nil || c != want {
					t.Fatalf("closed %+v, %v; want %+v", c, err, want)
				}
				if c, err := e.st.CloseRatingWindows(ctx, e.clock.Now(), defaults); err != nil || c != (store.Closed{}) {
					t.Errorf("closing again: %+v, %v; want nothing", c, err)
				}
				counts, err := e.st.IndexCounts(ctx, index.City, from, e.clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				in := index.Compute(counts["city"], index.V1(), nil)
				wantN, wantGood := int64(2), 0.5
				if defaults {
					wantN, wantGood = 4, 0.75
				}
				if in.N != wantN || *in.GoodRate != wantGood || *in.ActiveGoodRate != 0.5 || in.Transactions != 4 ||
					*in.UnratedRate != 0.5 || in.Linked != 2 {
					t.Errorf("n %d good %v active %v transactions %d unrated %v linked %d; want %d %v 0.5 4 0.5 2",
						in.N, *in.GoodRate, *in.ActiveGoodRate, in.Transactions, *in.UnratedRate, in.Linked, wantN, wantGood)
				}
				var defaulted int
				e.st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE origin = 'default'").Scan(&defaulted)
				if want := map[bool]int{false: 0, true: 2}[defaults]; defaulted != want {
					t.Errorf("%d reviews flagged default, want %d", defaulted, want)
				}
			})
		})
	}
}
