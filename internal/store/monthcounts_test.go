package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// A period is cut into the months that ended before today, kept, and the
// days at its edges; a period without such a month, or that is one, is
// counted whole.
func TestSegments(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, calendar.Zone)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	today := day("2026-12-07")
	for _, c := range []struct {
		from, to string // inclusive
		want     []string
	}{
		{"2025-12-07", "2026-12-07", []string{"2025-12-07..2025-12-31 false", "2026-01-01..2026-01-31 true",
			"2026-02-01..2026-02-28 true", "2026-03-01..2026-03-31 true", "2026-04-01..2026-04-30 true",
			"2026-05-01..2026-05-31 true", "2026-06-01..2026-06-30 true", "2026-07-01..2026-07-31 true",
			"2026-08-01..2026-08-31 true", "2026-09-01..2026-09-30 true", "2026-10-01..2026-10-31 true",
			"2026-11-01..2026-11-30 true", "2026-12-01..2026-12-07 false"}},
		// the last 30 days: no whole month
		{"2026-11-08", "2026-12-07", []string{"2026-11-08..2026-12-07 false"}},
		// one month: counted whole, as the board of a standard period
		{"2026-11-01", "2026-11-30", []string{"2026-11-01..2026-11-30 false"}},
		// November ended, December has not: one kept month and the days after
		{"2026-11-01", "2026-12-03", []string{"2026-11-01..2026-11-30 true", "2026-12-01..2026-12-03 false"}},
	} {
		got := store.Segments(day(c.from), day(c.to).AddDate(0, 0, 1), today)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s..%s: got %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

// A long period counts its ended months once: asked again after a
// review of today (a fold of this month), it reads only its edge days,
// so a month's rollup edited behind the store's back is not seen, and
// today's review is.
func TestLongPeriodKeepsEndedMonths(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 10, 10, 0, 0, 0, calendar.Zone)
		st.Now = func() time.Time { return now }
		for _, at := range []time.Time{now.AddDate(0, -1, 0), now} {
			if _, err := st.CreateReview(ctx, screened(t, st, "m-"+at.Format(time.DateOnly), at), review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
		}
		from := time.Date(2026, 10, 5, 0, 0, 0, 0, calendar.Zone)
		n := func() int64 {
			t.Helper()
			got, err := st.IndexCounts(ctx, index.City, from, now)
			if err != nil {
				t.Fatal(err)
			}
			return got["city"].N
		}
		if got := n(); got != 2 {
			t.Fatalf("%d reviews counted, want 2", got)
		}
		if _, err := st.DB().Exec(st.Rebind("UPDATE review_rollups SET stars1 = stars1 + 5 WHERE day = ?"), 20261110); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateReview(ctx, screened(t, st, "m-today", now.Add(time.Minute)), review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		if got := n(); got != 3 {
			t.Errorf("%d reviews counted after one more today, want 3 (November kept, today's counted)", got)
		}
	})
}
