package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// The review limits count the reviews of the month before as well: on
// PostgreSQL a group reads its counts from the month partitions that can
// hold them, and a device or a network just past midnight on the first of
// a month is still refused for what it gave before midnight.
func TestRateLimitAcrossMonthPartitions(t *testing.T) {
	lim := review.RateLimit{Max: 1, Window: review.RateWindow, AddressMax: 1, AddressWindow: time.Hour}
	before := time.Date(2026, 7, 31, 23, 55, 0, 0, calendar.Zone)
	after := time.Date(2026, 8, 1, 0, 2, 0, 0, calendar.Zone)
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := st.EnsurePartitions(ctx, before, after); err != nil {
			t.Fatal(err)
		}
		if st.Postgres() {
			want := []string{"reviews_y2026m07", "reviews_y2026m08"}
			if got := st.RecentPartitions(after.Add(-time.Hour), after); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Fatalf("partitions read = %v, want %v", got, want)
			}
		}
		send := func(at time.Time, device, network string) error {
			st.Now = func() time.Time { return at }
			r := groupReview(t, st, "", device)
			r.NetMark = network
			_, err := st.CreateReview(ctx, r, lim)
			return err
		}
		if err := send(before, "device-a", "net-n"); err != nil {
			t.Fatalf("first review: %v", err)
		}
		if err := send(after, "device-a", "net-m"); !apperr.Is(err, apperr.TooMany) {
			t.Errorf("same device 7 minutes later, in the next month: err = %v, want too many", err)
		}
		if err := send(after, "device-b", "net-n"); !apperr.Is(err, apperr.TooMany) {
			t.Errorf("same network 7 minutes later, in the next month: err = %v, want too many", err)
		}
		if err := send(after, "device-c", "net-p"); err != nil {
			t.Errorf("another device on another network: %v", err)
		}
	})
}

// Without every partition of the window known to exist, the counts read
// the parent table, which holds them all.
func TestRecentPartitionsUnknownMonth(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		far := time.Date(2031, 3, 1, 0, 5, 0, 0, calendar.Zone)
		if got := st.RecentPartitions(far.Add(-time.Hour), far); got != nil {
			t.Errorf("partitions read for months never created = %v, want the parent", got)
		}
	})
}
