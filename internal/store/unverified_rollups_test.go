package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/store/storetest"
)

// The rollups of unverified reviews (migration 0130) that intake kept, and
// those the migration fills in from the stored reviews of a database that
// had none, are the same: a demo with later reviews, held reviews and every
// verification level, its table dropped and migrated again.
func TestUnverifiedRollupsBackfill(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, dsn(t))
			now := time.Date(2026, 12, 10, 10, 0, 0, 0, calendar.Zone)
			st.Now = func() time.Time { return now }
			if err := demo.Load(ctx, st, demo.Options{Reviews: 800, Bad: 80, Seed: 16, Days: 10, Now: now}); err != nil {
				t.Fatal(err)
			}
			var cols []string
			for _, c := range []string{"stars", "tag", "default"} {
				for i := 1; i <= 5; i++ {
					cols = append(cols, fmt.Sprintf("SUM(%s%d)", c, i))
				}
			}
			for i := 1; i <= 6; i++ {
				cols = append(cols, fmt.Sprintf("SUM(sum%d)", i), fmt.Sprintf("SUM(cnt%d)", i))
			}
			cols = append(cols, "SUM(linked)")
			q := "SELECT axis, code, day, dimension_set, " + strings.Join(cols, ", ") + ` FROM review_rollups_unverified
				GROUP BY axis, code, day, dimension_set HAVING SUM(stars1 + stars2 + stars3 + stars4 + stars5) <> 0 ORDER BY axis, code, day, dimension_set`
			read := func() []string {
				rows, err := st.DB().Query(q)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var out []string
				for rows.Next() {
					var axis, code string
					var day, set int64
					sums := make([]int64, len(cols))
					dest := []any{&axis, &code, &day, &set}
					for i := range sums {
						dest = append(dest, &sums[i])
					}
					if err := rows.Scan(dest...); err != nil {
						t.Fatal(err)
					}
					out = append(out, fmt.Sprint(axis, code, day, set, sums))
				}
				return out
			}
			kept := read()
			if len(kept) < 50 {
				t.Fatalf("intake kept only %d rollup rows of unverified reviews", len(kept))
			}
			for _, s := range []string{"DROP TABLE review_rollups_unverified", "DELETE FROM schema_migrations WHERE version = 130"} {
				if _, err := st.DB().Exec(s); err != nil {
					t.Fatal(err)
				}
			}
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(kept, read()); diff != "" {
				t.Errorf("rollups of unverified reviews (-kept by intake +filled by 0130):\n%s", diff)
			}
		})
	}
}
