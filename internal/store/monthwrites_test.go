package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo/demotest"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// Every write that changes an ended month's counts drops the kept ones:
// after each of the paths below, each of which changes November's counts,
// a period from October 5th to today (November kept) counts what the
// same period counted a segment at a time, whole, counts. A path that
// changed November without dropping its kept counts shows as a
// difference.
func TestKeptMonthsFollowEveryWrite(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, _ := demotest.City(t, dsn(t), 70)
			now := demotest.Now
			day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, calendar.Zone) }
			segs := [][2]time.Time{{day(10, 5), day(10, 31)}, {day(11, 1), day(11, 30)}, {day(12, 1), now}}
			counts := func(from, to time.Time) map[string]index.Counts {
				t.Helper()
				got, err := st.IndexCounts(ctx, index.Unit, from, to)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			whole := func() map[string]index.Counts {
				out := map[string]index.Counts{}
				for _, sg := range segs { // one month or less: counted whole
					for code, c := range counts(sg[0], sg[1]) {
						sum := out[code]
						sum.Add(c)
						out[code] = sum
					}
				}
				return out
			}
			for _, w := range []struct {
				name  string
				write func(t *testing.T)
			}{
				{"a review of November through the group commit", func(t *testing.T) {
					r := badReview(t, st, day(11, 20).Add(10*time.Hour))
					if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
						t.Fatal(err)
					}
				}},
				{"an appeal upheld", func(t *testing.T) {
					changeNovemberOrder(t, st, func(o *workorder.Order) (workorder.Change, error) {
						return o.FileAppeal(now, workorder.GroundMistaken, "another unit's matter")
					}, func(o *workorder.Order) (workorder.Change, error) { return o.DecideAppeal(now, true, "upheld") })
				}},
				{"a re-dispatch", func(t *testing.T) {
					changeNovemberOrder(t, st, func(o *workorder.Order) (workorder.Change, error) {
						cal, err := st.Calendar(ctx)
						if err != nil {
							return workorder.Change{}, err
						}
						return o.Redispatch(now, cal, workorder.Assignment{Unit: "310104", Complexity: workorder.Simple, Days: 1})
					})
				}},
				{"a review excluded", func(t *testing.T) {
					if err := st.ExcludeReview(ctx, novemberReview(t, st, "r.held IS NULL AND r.excluded IS NULL"), "test"); err != nil {
						t.Fatal(err)
					}
				}},
				{"a held review released", func(t *testing.T) {
					r := badReview(t, st, day(11, 21).Add(10*time.Hour))
					r.Held = "burst"
					if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
						t.Fatal(err)
					}
					if n, err := st.ReleaseHeld(ctx, []int64{r.ID}, "sup", "checked"); err != nil || n != 1 {
						t.Fatalf("released %d: %v", n, err)
					}
				}},
				{"November's working days made holidays", func(t *testing.T) {
					var days []calendar.Day
					for d := day(11, 2); d.Month() == time.November; d = d.AddDate(0, 0, 1) {
						days = append(days, calendar.Day{Date: d.Format(time.DateOnly), Kind: calendar.Holiday, Name: "test"})
					}
					if err := st.ImportCalendar(ctx, days, "test"); err != nil {
						t.Fatal(err)
					}
				}},
			} {
				counts(segs[0][0], now) // November counted and kept
				before := counts(segs[1][0], segs[1][1])
				w.write(t)
				if reflect.DeepEqual(before, counts(segs[1][0], segs[1][1])) {
					t.Fatalf("%s: November's counts did not change", w.name)
				}
				if d := cmp.Diff(whole(), counts(segs[0][0], now)); d != "" {
					t.Errorf("%s: the kept November differs from November counted whole (-whole +kept):\n%s", w.name, d)
				}
			}
		})
	}
}

// novemberReview is a review given in November with a work order due in
// November, for which where holds.
func novemberReview(t *testing.T, st *store.Store, where string) int64 {
	t.Helper()
	var id int64
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, calendar.Zone)
	if err := st.DB().QueryRow(st.Rebind(`SELECT r.id FROM reviews r JOIN work_orders o ON o.review = r.id
		WHERE o.due_at >= ? AND o.due_at < ? AND `+where+` ORDER BY r.id LIMIT 1`),
		nov.UnixMilli(), nov.AddDate(0, 1, 0).UnixMilli()).Scan(&id); err != nil {
		t.Fatalf("a November review: %v", err)
	}
	return id
}

// changeNovemberOrder takes steps on the first order due in November
// that takes them all.
func changeNovemberOrder(t *testing.T, st *store.Store, steps ...workorder.ChangeFunc) {
	t.Helper()
	ctx := context.Background()
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, calendar.Zone)
	rows, err := st.DB().Query(st.Rebind(`SELECT o.id FROM work_orders o JOIN reviews r ON r.id = o.review
		WHERE o.due_at >= ? AND o.due_at < ? AND r.held IS NULL AND r.excluded IS NULL AND o.appeal = '' ORDER BY o.id`),
		nov.UnixMilli(), nov.AddDate(0, 1, 0).UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	actor := account.Actor{Role: account.Supervisor, Name: "sup"}
next:
	for _, id := range ids {
		for _, step := range steps {
			if _, _, err := st.ChangeOrder(ctx, id, actor, step); err != nil {
				continue next // not every state takes every step
			}
		}
		return
	}
	t.Fatal("no November order took the steps")
}

// badReview is a one-star review with a comment of an item and stage of
// the demo, given at at.
func badReview(t *testing.T, st *store.Store, at time.Time) *review.Review {
	t.Helper()
	var item, stage string
	if err := st.DB().QueryRow("SELECT item, stage FROM reviews WHERE channel = 'pc' ORDER BY id LIMIT 1").Scan(&item, &stage); err != nil {
		t.Fatal(err)
	}
	r := mustAccept(t, st, review.Submission{Channel: "pc", Item: item, Stage: stage, Stars: 1, Comment: "等了很久", Anonymous: &yes})
	r.CreatedAt = at
	return r
}
