package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
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
