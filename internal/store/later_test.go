package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// TestLaterReviews: a later review (追评) is taken once per transaction
// and stage within the window after the first, refused otherwise; it
// opens a work order only when the first did not; the index and the
// statistics count the latest opinion (a held later review once released),
// and nothing is deleted.
func TestLaterReviews(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		day := func(d int) time.Time { return time.Date(2026, 7, d, 11, 0, 0, 0, calendar.Zone) }
		post := func(txn string, stars int, comment string, later bool, at time.Time, item string) (*review.Review, bool, error) {
			t.Helper()
			r := mustAccept(t, st, review.Submission{Channel: "pc", Item: item, Stage: "acceptance", Stars: stars, Comment: comment,
				Anonymous: &yes, Transaction: txn, Later: later})
			r.CreatedAt = at
			wo, err := st.CreateReview(ctx, r, review.RateLimit{})
			return r, wo != nil, err
		}
		mustPost := func(txn string, stars int, comment string, later bool, at time.Time) (*review.Review, bool) {
			t.Helper()
			r, order, err := post(txn, stars, comment, later, at, "GA-001")
			if err != nil {
				t.Fatalf("%s, %d stars, later review %v: %v", txn, stars, later, err)
			}
			return r, order
		}
		bad, _ := mustPost("T1", 2, "材料退回三次", false, day(1))
		good, order := mustPost("T1", 5, "后来办好了", true, day(3))
		if good.Follows != bad.ID || order {
			t.Errorf("later review follows %d (want %d), opened an order %v", good.Follows, bad.ID, order)
		}
		mustPost("T2", 5, "", false, day(1))
		mustPost("T3", 4, "", false, day(1))
		mustPost("T4", 1, "态度差", false, day(2))
		refusals := []struct {
			name       string
			txn        string
			at         time.Time
			item       string
			code       apperr.Code
			field      string
			wantOrders int // a refused later review leaves the orders as they were
		}{
			{"no first review", "T9", day(3), "GA-001", apperr.Invalid, "later_review", 0},
			{"a second later review", "T1", day(4), "GA-001", apperr.Conflict, "later_review", 0},
			{"out of the window", "T2", day(1).Add(review.DefaultLaterWindow), "GA-001", apperr.Invalid, "later_review", 0},
			{"another item", "T2", day(2), "SCJG-001", apperr.Invalid, "item", 0},
		}
		before := count(t, st, "work_orders")
		for _, tt := range refusals {
			_, _, err := post(tt.txn, 1, "还是不行", true, tt.at, tt.item)
			if e := apperr.As(err); e == nil || e.Code != tt.code || e.Field != tt.field {
				t.Errorf("%s: err = %v, want %s naming %s", tt.name, err, tt.code, tt.field)
			}
		}
		if n := count(t, st, "work_orders"); n != before {
			t.Errorf("refused later reviews opened %d work orders", n-before)
		}
		// Just inside the window, a bad later review of a good first review
		// opens its order; of a bad one that had its order, none.
		if _, order := mustPost("T2", 1, "证件寄丢了", true, day(1).Add(review.DefaultLaterWindow-time.Minute)); !order {
			t.Error("a bad later review of a good review opened no work order")
		}
		if _, order := mustPost("T4", 2, "仍未解决", true, day(5)); order {
			t.Error("a bad later review of a review with a work order opened another")
		}
		// A held later review leaves the first counted until it is released.
		held := mustAccept(t, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1, Anonymous: &yes,
			Transaction: "T3", Later: true})
		held.CreatedAt, held.Held = day(4), "flood"
		if _, err := st.CreateReview(ctx, held, review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		latest := func(want [5]int64) {
			t.Helper()
			from, to := day(1), day(31)
			c, err := st.IndexCounts(ctx, index.City, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if got := c["city"].Stars; got != want {
				t.Errorf("index stars %v, want %v", got, want)
			}
			indexMatchesRows(t, st, "latest opinions", from, to)
			stats, err := st.Stats(ctx, review.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := st.StatsFromReviews(ctx, review.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if stats.Stars != want || raw.Stars != want {
				t.Errorf("stats stars %v from rollups, %v from reviews, want %v", stats.Stars, raw.Stars, want)
			}
		}
		// T1 5, T2 1 (later review), T3 4 (its later review held), T4 2 (later review).
		latest([5]int64{1, 1, 0, 1, 1})
		if n, err := st.ReleaseHeld(ctx, []int64{held.ID}, "sup", "a real complaint"); err != nil || n != 1 {
			t.Fatalf("release: %d, %v", n, err)
		}
		latest([5]int64{2, 1, 0, 0, 1})
		if n := count(t, st, "reviews"); n != 8 {
			t.Errorf("%d reviews kept, want all 8", n)
		}
	})
}
