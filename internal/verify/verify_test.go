package verify_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/verify"
	"github.com/haocha/haocha/internal/workorder"
)

// TestVerifyAfterRandomHistories loads demos whose work orders lived
// seeded random lives (dispatched late, re-dispatched, escalated,
// appealed and upheld, still open), verifies the whole period on every
// backend, then edits one rollup row and sees verify name it.
func TestVerifyAfterRandomHistories(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		for _, seed := range []uint64{3, 11} {
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				st := storetest.Open(t, dsn(t))
				now := time.Date(2026, 8, 20, 10, 0, 0, 0, calendar.Zone)
				st.Now = func() time.Time { return now }
				if err := demo.Load(ctx, st, demo.Options{Reviews: 3000, Bad: 150, Seed: seed, Days: 20, Now: now}); err != nil {
					t.Fatal(err)
				}
				upholdAppeals(t, st, seed, now)
				from, to := time.Date(2026, 7, 1, 0, 0, 0, 0, calendar.Zone), time.Date(2026, 8, 31, 0, 0, 0, 0, calendar.Zone)
				res := mustVerify(t, st, from, to)
				if len(res.Differences) > 0 {
					t.Fatalf("untouched database: %d differences, first: %s", len(res.Differences), res.Differences[0])
				}
				if res.Members < 100 || res.Figures < 50 {
					t.Fatalf("verified only %d members and %d statistics", res.Members, res.Figures)
				}
				var upheld int
				st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE excluded IS NOT NULL").Scan(&upheld)
				t.Logf("seed %d: %d members, %d statistics, %d reviews held out", seed, res.Members, res.Figures, upheld)

				var code string
				var day, shard int64
				if err := st.DB().QueryRow("SELECT code, day, shard FROM review_rollups WHERE axis = 'district' AND code <> '' ORDER BY code, day, shard LIMIT 1").Scan(&code, &day, &shard); err != nil {
					t.Fatal(err)
				}
				// The day's row and its month's (migration 0205): a period
				// that holds the whole month reads the month row.
				for _, tamper := range []struct {
					table string
					day   int64
				}{{"review_rollups", day}, {"review_rollups_monthly", day/100*100 + 1}} {
					res2, err := st.DB().Exec(st.Rebind("UPDATE "+tamper.table+" SET stars1 = stars1 + 2 WHERE axis = 'district' AND code = ? AND day = ? AND shard = ?"), code, tamper.day, shard)
					if n, _ := res2.RowsAffected(); err != nil || n != 1 {
						t.Fatalf("tamper with a row of %s: %d rows, %v", tamper.table, n, err)
					}
				}
				res = mustVerify(t, st, from, to)
				want := "stats district " + code + " total: published"
				found := false
				for _, d := range res.Differences {
					found = found || strings.HasPrefix(d, want)
				}
				if !found {
					t.Errorf("after editing a rollup row of %s, verify said %q; want a line starting %q", code, res.Differences, want)
				}
			})
		}
	}
}

// upholdAppeals has a few open orders, picked by seed, appealed and
// upheld: their reviews leave the index and the rollups.
func upholdAppeals(t *testing.T, st *store.Store, seed uint64, now time.Time) {
	t.Helper()
	ctx := context.Background()
	rows, err := st.Orders(ctx, workorder.Filter{Open: true, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(seed, seed))
	actor := account.Actor{Role: account.Supervisor, Name: "sup"}
	upheld := 0
	for _, i := range rnd.Perm(len(rows)) {
		if upheld == 3 {
			break
		}
		_, _, err := st.ChangeOrder(ctx, rows[i].ID, actor, func(o *workorder.Order) (workorder.Change, error) {
			return o.FileAppeal(now, workorder.GroundMistaken, "another unit's matter")
		})
		if err != nil {
			continue // not every state takes an appeal
		}
		if _, _, err := st.ChangeOrder(ctx, rows[i].ID, actor, func(o *workorder.Order) (workorder.Change, error) {
			return o.DecideAppeal(now, true, "upheld")
		}); err != nil {
			t.Fatal(err)
		}
		upheld++
	}
	if upheld == 0 {
		t.Fatal("no order took an appeal")
	}
}

func mustVerify(t *testing.T, st *store.Store, from, to time.Time) verify.Result {
	t.Helper()
	res, err := verify.Run(context.Background(), st, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestVerifyFollowsThePages verifies the same demo reading the published
// boards in pages of several sizes: every member of every scope is
// compared once, in the board's order, however many pages it takes.
func TestVerifyFollowsThePages(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLiteDSN(t))
	now := time.Date(2026, 8, 20, 10, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	if err := demo.Load(ctx, st, demo.Options{Reviews: 1500, Bad: 80, Seed: 5, Days: 10, Now: now}); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 8, 1, 0, 0, 0, 0, calendar.Zone), time.Date(2026, 8, 20, 0, 0, 0, 0, calendar.Zone)
	whole := mustVerify(t, st, from, to)
	if len(whole.Differences) > 0 || whole.Members < 1000 {
		t.Fatalf("in one page a scope: %d members, differences %q", whole.Members, whole.Differences)
	}
	for _, limit := range []int{1, 7, 100} {
		res, err := verify.RunPaged(ctx, st, from, to, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Differences) > 0 || res.Members != whole.Members {
			t.Errorf("pages of %d: %d members (want %d), %d differences, first %q", limit, res.Members, whole.Members, len(res.Differences), res.Differences)
		}
	}
}
