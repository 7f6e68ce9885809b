package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// variedReview is the i-th of a mix of reviews that differ on every
// rollup axis the fixture has: channel, item, stage, workstation, stars,
// tags and scores.
func variedReview(t *testing.T, st *store.Store, i int) *review.Review {
	t.Helper()
	sub := review.Submission{Channel: "pc", Item: []string{"GA-001", "SCJG-001"}[i%2],
		Stage: []string{"application", "acceptance", "decision"}[i%3], Stars: 1 + i%5, Anonymous: &yes}
	switch i % 4 {
	case 1:
		sub.Channel = "app"
	case 2:
		sub.Channel, sub.Workstation = "window", []string{"H1-W1-1", "H1-W1-2"}[i/4%2]
	}
	if sub.Stars <= 2 {
		sub.Tags, sub.Comment = []string{"attitude"}, "态度不好"
	}
	return mustAccept(t, st, sub)
}

// intake stores n varied reviews from 16 clients at once, and excludes
// every seventh (an upheld appeal: counted out again).
func intake(t *testing.T, st *store.Store, from, n int) {
	t.Helper()
	ctx := context.Background()
	next := make(chan int, n)
	rs := map[int]*review.Review{}
	for i := from; i < from+n; i++ {
		rs[i] = variedReview(t, st, i)
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if _, err := st.CreateReview(ctx, rs[i], review.RateLimit{}); err != nil {
					errs <- fmt.Errorf("review %d: %w", i, err)
				} else if i%7 == 0 {
					if err := st.ExcludeReview(ctx, rs[i].ID, "appeal upheld"); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// statsMatchReviews fails t unless the statistics of each filter, from
// the rollups, equal those counted from the reviews themselves.
func statsMatchReviews(t *testing.T, st *store.Store, when string, filters []review.Filter) {
	t.Helper()
	for _, f := range filters {
		got, err := st.Stats(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := st.StatsFromReviews(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s, filter %+v: rollups differ from reviews (-reviews +rollups):\n%s", when, f, diff)
		}
	}
}

// rollupsExact fails t unless the stored rollups equal a recount from the
// reviews, and the statistics of a few filters equal those counted from
// the reviews themselves.
func rollupsExact(t *testing.T, st *store.Store, when string) {
	t.Helper()
	statsMatchReviews(t, st, when, []review.Filter{{}, {Item: "GA-001"}, {Channel: review.App}, {Workstation: "H1-W1-2"},
		{Item: "SCJG-001", Stage: "decision"}, {Unit: "GA"}})
	diff, err := st.RollupsDiff(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff != "" {
		t.Errorf("%s: the stored rollups differ from a recount:\n%s", when, diff)
	}
}

// The rollups equal a recount from the reviews after concurrent intake
// with reviews counted out meanwhile, folded by readers and once a second.
func TestRollupsExactAfterConcurrentIntake(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		intake(t, st, 0, 300)
		rollupsExact(t, st, "after intake")
		if n := count(t, st, "rollup_deltas"); n != 0 {
			t.Errorf("%d delta rows left after a reader folded", n)
		}
		// A group writes one delta row, not a row per axis and member.
		if n := count(t, st, "review_rollups"); n == 0 {
			t.Error("no rollups at all")
		}
	})
}

// A review acknowledged is counted by the next read of the statistics in
// the same process, with no wait for the once-a-second fold.
func TestStatsSeeReviewJustStored(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for i := range 12 {
			if _, err := st.CreateReview(ctx, variedReview(t, st, 0), review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
			got, err := st.Stats(ctx, review.Filter{Item: "GA-001"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Stars[0] != int64(i+1) {
				t.Fatalf("after %d one-star reviews the statistics count %v", i+1, got.Stars)
			}
		}
	})
}

// A process gone after storing reviews but before folding leaves its
// delta rows in the database: the next store to read folds them, and the
// figures are exact.
func TestRollupDeltasFoldedAfterCrash(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			d := dsn(t)
			gone := storetest.OpenFixture(t, d)
			t.Cleanup(gone.HoldFolds()) // released before it closes
			intake(t, gone, 0, 60)
			if n := count(t, gone, "rollup_deltas"); n == 0 {
				t.Fatal("nothing pending: the crash simulated nothing")
			}
			diff, err := gone.RollupsDiff(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff == "" {
				t.Fatal("the rollups are exact without a fold: the test proves nothing")
			}
			next := storetest.Open(t, d)
			next.Now = gone.Now
			rollupsExact(t, next, "after the next process's first read")
			if n := count(t, next, "rollup_deltas"); n != 0 {
				t.Errorf("%d delta rows left", n)
			}
		})
	}
}

// Two processes on one database, storing and folding at once, never fold
// a delta row twice; each sees the other's reviews within a second.
func TestTwoStoresNeverDoubleCount(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			d := dsn(t)
			a := storetest.OpenFixture(t, d)
			b := storetest.Open(t, d)
			b.Now = a.Now
			ctx := context.Background()
			stop := make(chan struct{})
			var folders sync.WaitGroup
			for _, st := range []*store.Store{a, b} {
				folders.Add(1)
				go func() {
					defer folders.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						if err := st.FoldRollups(ctx); err != nil {
							t.Error(err)
							return
						}
						time.Sleep(5 * time.Millisecond)
					}
				}()
			}
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); intake(t, a, 0, 150) }()
			go func() { defer wg.Done(); intake(t, b, 1000, 150) }()
			wg.Wait()
			close(stop)
			folders.Wait()
			// What b stored since a's last fold is a second late for a's
			// readers: FoldRollups takes every process's rows.
			if err := a.FoldRollups(ctx); err != nil {
				t.Fatal(err)
			}
			rollupsExact(t, a, "after both stored and folded")
			rollupsExact(t, b, "read by the other")
			// What one stores, the other counts within a second and a bit,
			// by its own fold or the other's.
			if _, err := a.CreateReview(ctx, variedReview(t, a, 0), review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
			want, err := a.StatsFromReviews(ctx, review.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second) // a guard on a loaded machine, not the lag
			for {
				got, err := b.Stats(ctx, review.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if cmp.Equal(want, got) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the other process never counted the review: %v, want %v", got.Stars, want.Stars)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

// One fold of reviews of two days in two months (a second either side of
// midnight, or a hold reaching back) adds each to its day's rows and its
// month's: the month rows of a fold of one day are that day's rows under
// the month, and those of several days are summed by month.
func TestFoldOfTwoMonthsExact(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		release := st.HoldFolds() // every review below waits for one fold
		days := []time.Time{time.Date(2026, 1, 31, 23, 59, 59, 0, calendar.Zone), time.Date(2026, 2, 1, 0, 0, 1, 0, calendar.Zone)}
		for i := range 8 {
			r := variedReview(t, st, i)
			r.CreatedAt = days[i%2]
			if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, st, "rollup_deltas"); n == 0 {
			t.Fatal("nothing pending: no fold of two days to test")
		}
		release()
		rollupsExact(t, st, "after a fold of two months")
	})
}

// TestFoldsOfAProcessAddToOneShard: a process's folds add to the rows its
// last fold wrote, so that on PostgreSQL they are updates of the same
// rows (HOT, migration 0240), not new rows of a shard picked each fold.
// Six folds of a shard picked at random each fold would all pick the same
// one once in 8^5.
func TestFoldsOfAProcessAddToOneShard(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		var day int
		for i := range 6 {
			r := variedReview(t, st, i)
			if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
			if err := st.FoldRollups(ctx); err != nil {
				t.Fatal(err)
			}
			y, m, d := r.CreatedAt.In(calendar.Zone).Date()
			day = y*10000 + int(m)*100 + d
		}
		var shards, rows int
		err := st.DB().QueryRow(fmt.Sprintf("SELECT COUNT(DISTINCT shard), COUNT(*) FROM review_rollups WHERE axis = 'all' AND day = %d", day)).Scan(&shards, &rows)
		if err != nil {
			t.Fatal(err)
		}
		if shards != 1 || rows != 1 {
			t.Errorf("six folds of one process wrote the city's day in %d rows of %d shards, want one row", rows, shards)
		}
		rollupsExact(t, st, "after six folds")
	})
}
