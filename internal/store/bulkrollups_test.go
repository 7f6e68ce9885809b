package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// A bulk load, whose rollups are kept in memory and written in a few
// goes, stores the same rollups as the same reviews stored batch by
// batch, and its statistics equal those counted from the reviews.
func TestBulkLoadRollupsMatchReviews(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			// 75 days to 19 March: the end of January, February whole, most of March.
			now := time.Date(2026, 3, 20, 10, 0, 0, 0, calendar.Zone)
			o := demo.Options{Reviews: 3000, Bad: 300, Seed: 7, Batch: 250, Days: 75, Now: now, Frozen: true}
			plain := storetest.Open(t, dsn(t))
			if err := demo.Load(ctx, plain, o); err != nil {
				t.Fatal(err)
			}
			bulk := storetest.Open(t, dsn(t))
			// Written five or six times over the load, across batches.
			store.SetBulkRollupKeys(t, 6000)
			if err := bulk.WithoutReviewIndexes(ctx, func() error { return demo.Load(ctx, bulk, o) }); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"review_rollups", "review_rollups_unverified", "review_rollups_monthly", "review_rollups_unverified_monthly"} {
				got, want := rollupSums(t, bulk, table), rollupSums(t, plain, table)
				if len(want) < 100 {
					t.Fatalf("%s: only %d rows to compare", table, len(want))
				}
				if len(got) != len(want) {
					t.Errorf("%s: %d rows after the bulk load, %d after the plain one", table, len(got), len(want))
				}
				for k, w := range want {
					if got[k] != w {
						t.Errorf("%s %s: bulk %q, plain %q", table, k, got[k], w)
						break
					}
				}
			}
			if diff, err := bulk.RollupsDiff(ctx); err != nil {
				t.Fatal(err)
			} else if diff != "" {
				t.Errorf("after a bulk load, the stored rollups differ from a recount:\n%s", diff)
			}
			statsMatchReviews(t, bulk, "after a bulk load", []review.Filter{{}, {Unit: "310101"}, {Item: "SHGA-001"},
				{Channel: review.App}, {Item: "SHGA-001", Stage: "acceptance"}, {District: "310115", Channel: review.Window}})
			// Periods read whole months from the month rollups and the
			// days at their ends from the day rollups.
			day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, calendar.Zone) }
			var periods []review.Filter
			for _, p := range [][2]time.Time{{day(1, 10), day(3, 5)}, {day(2, 1), day(2, 28)}, {day(1, 31), day(3, 1)},
				{day(2, 3), day(2, 20)}, {{}, day(2, 14)}, {day(1, 31), {}}, {day(2, 1), {}}, {{}, day(2, 28)}} {
				periods = append(periods, review.Filter{From: p[0], To: p[1]},
					review.Filter{Unit: "310101", Item: "SHGA-001", From: p[0], To: p[1]},
					review.Filter{District: "310115", Channel: review.Window, From: p[0], To: p[1]})
			}
			statsMatchReviews(t, bulk, "after a bulk load, over periods", periods)
		})
	}
}

// rollupSums are table's sums by axis, code and day, over shards (which
// PostgreSQL picks at random), as text.
func rollupSums(t *testing.T, st *store.Store, table string) map[string]string {
	t.Helper()
	cols := []string{"stars1", "stars2", "stars3", "stars4", "stars5", "tag1", "tag2", "tag3", "tag4", "tag5",
		"sum1", "cnt1", "sum2", "cnt2", "sum3", "cnt3", "sum4", "cnt4", "sum5", "cnt5", "sum6", "cnt6",
		"default1", "default2", "default3", "default4", "default5", "linked"}
	var sums []string
	for _, c := range cols {
		sums = append(sums, "SUM("+c+")")
	}
	rows, err := st.DB().Query("SELECT axis, code, day, " + strings.Join(sums, ", ") + " FROM " + table + " GROUP BY axis, code, day")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var axis, code string
		var day int64
		v := make([]int64, len(cols))
		dest := []any{&axis, &code, &day}
		for i := range v {
			dest = append(dest, &v[i])
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("%s/%s/%d", axis, code, day)] = fmt.Sprint(v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
