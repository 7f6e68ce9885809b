package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// TestIndexCountsByOrigin stores free, transaction-linked and default
// reviews, some held and then released or rejected, some excluded, and
// checks that the index counts read from the rollups (who gave the
// stars, how many are linked) equal those counted in Go from the rows,
// for every scope; then that migration 0051 fills the origin columns
// again from the reviews, as it does for a database that predates them.
func TestIndexCountsByOrigin(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		day := func(d int) time.Time { return time.Date(2026, 7, d, 11, 0, 0, 0, calendar.Zone) }
		origins := []review.Origin{review.Free, review.FromTransaction, review.Default}
		var held []int64
		for i := range 60 {
			sub := review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1 + i%5, Anonymous: &yes}
			if i%3 == 0 {
				sub = review.Submission{Channel: "window", Workstation: "H1-W1-1", Item: "SCJG-001", Stage: "decision", Stars: 5 - i%5, Anonymous: &yes}
			}
			if i%5 < 2 {
				sub.Comment = "慢"
			}
			r := mustAccept(t, st, sub)
			r.Origin = origins[i%len(origins)]
			r.CreatedAt = day(15 + i%5)
			if i%4 == 1 {
				r.Held = "flood"
			}
			if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
			if r.Held != "" {
				held = append(held, r.ID)
			} else if i%7 == 0 {
				if err := st.ExcludeReview(ctx, r.ID, "appeal upheld"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if n, err := st.ReleaseHeld(ctx, held[:len(held)/2], "sup", "honest"); err != nil || n == 0 {
			t.Fatalf("release: %d, %v", n, err)
		}
		if _, err := st.RejectHeld(ctx, held[len(held)/2:], "sup", "flood"); err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			city := indexMatchesRows(t, st, when, day(1), day(31))
			if city.Linked == 0 || city.ActiveStars == city.Stars {
				t.Fatalf("%s: the city has %d linked reviews and active stars %v of %v: nothing to tell apart", when, city.Linked, city.ActiveStars, city.Stars)
			}
		}
		check("after intake, holds and decisions")
		for i := 1; i <= 5; i++ {
			if _, err := st.DB().Exec(fmt.Sprintf("ALTER TABLE review_rollups DROP COLUMN default%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{"ALTER TABLE review_rollups DROP COLUMN linked", "DELETE FROM schema_migrations WHERE version = 51"} {
			if _, err := st.DB().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		check("after migration 0051 filled the origin columns")
	})
}

// indexMatchesRows checks IndexCounts of every scope over the days from to
// to against the stored rows counted in Go (what `haocha index verify`
// does), and returns the city's counts.
func indexMatchesRows(t *testing.T, st *store.Store, when string, from, to time.Time) index.Counts {
	t.Helper()
	ctx := context.Background()
	rows, orders, err := st.IndexRows(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	start, end := calendar.Midnight(from), calendar.Midnight(to).AddDate(0, 0, 1)
	cal, err := st.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range index.Scopes {
		if !sc.Grouped() {
			continue
		}
		got, err := st.IndexCounts(ctx, sc, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := index.CountRows(sc, rows, orders, start, end, cal, st.Now())
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s, scope %s (-rows +rollups):\n%s", when, sc, diff)
		}
	}
	return index.CountRows(index.City, rows, orders, start, end, cal, st.Now())["city"]
}
