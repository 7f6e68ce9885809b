package store_test

import (
	"context"
	"fmt"
	"sync"
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

// Reviews sent at once are stored by several committers in parallel on
// PostgreSQL, each group in its own transaction: a device's reviews
// spread over those groups are still counted one after another, so
// exactly its limit is stored, and every other review is stored once.
func TestRateLimitHoldsAcrossParallelGroups(t *testing.T) {
	lim := review.RateLimit{Max: 5, Window: review.RateWindow}
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := st.EnsurePartitions(ctx, st.Now(), st.Now()); err != nil {
			t.Fatal(err)
		}
		const each = 32
		var rs []*review.Review
		for i := range each {
			rs = append(rs, groupReview(t, st, "", "flood"), groupReview(t, st, "", fmt.Sprintf("device-%d", i)))
		}
		errs := make([]error, len(rs))
		var wg sync.WaitGroup
		for i, r := range rs {
			wg.Go(func() { _, errs[i] = st.CreateReview(ctx, r, lim) })
		}
		wg.Wait()
		flood := 0
		for i, err := range errs {
			switch {
			case rs[i].ClientMark == "flood" && err == nil:
				flood++
			case rs[i].ClientMark == "flood" && !apperr.Is(err, apperr.TooMany):
				t.Errorf("flood review: err = %v, want stored or too many", err)
			case rs[i].ClientMark != "flood" && err != nil:
				t.Errorf("review of %s: %v", rs[i].ClientMark, err)
			}
		}
		if flood != lim.Max {
			t.Errorf("stored %d reviews of the flooding device, want its limit %d", flood, lim.Max)
		}
		if n := count(t, st, "reviews"); n != each+lim.Max {
			t.Errorf("stored %d reviews, want %d", n, each+lim.Max)
		}
	})
}
