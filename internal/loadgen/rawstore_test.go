package loadgen_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

func mustOpenRaw(t *testing.T, dsn string, writers int) *loadgen.Raw {
	t.Helper()
	ctx := context.Background()
	r, err := loadgen.OpenRaw(ctx, dsn, writers)
	if err != nil {
		t.Fatalf("open raw: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	r.Now = func() time.Time { return storetest.Now }
	if err := r.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := r.ImportCatalog(ctx, storetest.Fixture()); err != nil {
		t.Fatalf("import fixture: %v", err)
	}
	return r
}

// reviewRow reads back every column of a review but its id.
func reviewRow(t *testing.T, st *store.Store, id int64) []any {
	t.Helper()
	rows, err := st.DB().Query(st.Rebind("SELECT * FROM reviews WHERE id = ?"), id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		t.Fatalf("review %d not found", id)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	out := []any{}
	for i, c := range cols {
		if c != "id" {
			out = append(out, fmt.Sprintf("%s=%v", c, vals[i]))
		}
	}
	return out
}

// A raw row is the row intake stores for the same review: the ceiling
// measures the same work on the reviews table.
func TestInsertRawStoresWhatIntakeStores(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			r := mustOpenRaw(t, dsn(t), 2)
			sub := review.Submission{Channel: "window", Item: "GA-001", Stage: "acceptance", Workstation: "H1-W1-1",
				Stars: 2, Dimensions: map[string]int{"accuracy": 2, "efficiency": 1}, Tags: []string{"attitude"},
				Comment: "态度差", Anonymous: &yes, Transaction: "BJ1"}
			viaIntake := mustAccept(t, r.Store, sub)
			viaIntake.ClientMark = "m"
			if _, err := r.CreateReview(ctx, viaIntake, review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
			raw := mustAccept(t, r.Store, sub)
			raw.ClientMark = "m"
			if err := r.InsertRaw(ctx, raw); err != nil {
				t.Fatal(err)
			}
			if raw.ID == 0 || raw.ID == viaIntake.ID {
				t.Fatalf("raw id %d, intake id %d", raw.ID, viaIntake.ID)
			}
			if diff := cmp.Diff(reviewRow(t, r.Store, viaIntake.ID), reviewRow(t, r.Store, raw.ID)); diff != "" {
				t.Errorf("raw row differs from intake's (-intake +raw):\n%s", diff)
			}
		})
	}
}

// Many writers at once all get their rows in: on SQLite they queue in the
// busy handler instead of failing with "database is locked".
func TestInsertRawConcurrentWriters(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const writers, each = 8, 10
			r := mustOpenRaw(t, dsn(t), writers)
			var rvs [writers][each]*review.Review
			for w := range writers {
				for i := range each {
					rvs[w][i] = mustAccept(t, r.Store, review.Submission{Channel: "pc", Item: "SCJG-001", Stage: "decision",
						Stars: 5, Anonymous: &yes, Transaction: fmt.Sprintf("T%d-%d", w, i)})
				}
			}
			var wg sync.WaitGroup
			errs := make(chan error, writers*each)
			for w := range writers {
				wg.Go(func() {
					for _, rv := range rvs[w] {
						errs <- r.InsertRaw(ctx, rv)
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if n := count(t, r.Store, "reviews"); n != writers*each {
				t.Errorf("%d reviews stored, want %d", n, writers*each)
			}
		})
	}
}

var yes = true

func mustAccept(t *testing.T, st *store.Store, sub review.Submission) *review.Review {
	t.Helper()
	r, err := review.Accept(context.Background(), st, &sub)
	if err != nil {
		t.Fatalf("accept %+v: %v", sub, err)
	}
	return r
}

func count(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
