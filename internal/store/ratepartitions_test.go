package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
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

// A group that straddles midnight on the first of a month stores each
// review in its own month's partition on PostgreSQL (named, not routed
// through the parent), and one of a month whose partition this process
// does not know through the parent, which stores it as it always did: on
// both backends every review is stored, once, and read back with its id
// and time.
func TestGroupInsertsIntoMonthPartitions(t *testing.T) {
	before := time.Date(2026, 7, 31, 23, 59, 0, 0, calendar.Zone)
	after := time.Date(2026, 8, 1, 0, 1, 0, 0, calendar.Zone)
	far := time.Date(2031, 3, 1, 0, 5, 0, 0, calendar.Zone) // no partition made
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := st.EnsurePartitions(ctx, before, after); err != nil {
			t.Fatal(err)
		}
		var rs []*review.Review
		for i, at := range []time.Time{before, after, before, after, far} {
			r := groupReview(t, st, fmt.Sprintf("T-%d", i), fmt.Sprintf("device-%d", i))
			r.CreatedAt = at
			rs = append(rs, r)
		}
		if _, errs := st.StoreGroup(rs, review.RateLimit{}); errs[0] != nil || errs[1] != nil || errs[4] != nil {
			t.Fatalf("store: %v", errs)
		}
		for _, r := range rs {
			var at int64
			if err := st.DB().QueryRow(st.Rebind("SELECT created_at FROM reviews WHERE id = ?"), r.ID).Scan(&at); err != nil {
				t.Fatalf("review %d: %v", r.ID, err)
			}
			if at != r.CreatedAt.UnixMilli() {
				t.Errorf("review %d at %d, want %d", r.ID, at, r.CreatedAt.UnixMilli())
			}
		}
		if n := count(t, st, "reviews"); n != len(rs) {
			t.Errorf("%d reviews stored, want %d", n, len(rs))
		}
		if !st.Postgres() {
			return
		}
		want := map[int64]string{rs[0].ID: "reviews_y2026m07", rs[1].ID: "reviews_y2026m08", rs[2].ID: "reviews_y2026m07",
			rs[3].ID: "reviews_y2026m08", rs[4].ID: "reviews_default"}
		for id, part := range want {
			var got string
			if err := st.DB().QueryRow("SELECT tableoid::regclass::text FROM reviews WHERE id = $1", id).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != part {
				t.Errorf("review %d is in %s, want %s", id, got, part)
			}
		}
	})
}

// A process follows the reviews another stores across midnight on the
// first of a month: on PostgreSQL it reads them from the month partitions
// that can hold them, both months, and counts every one of a device's
// reviews of the device rule's window, and none twice.
func TestFollowAcrossMonthPartitions(t *testing.T) {
	// Within the device rule's ten minutes of now.
	before := time.Date(2026, 7, 31, 23, 56, 0, 0, calendar.Zone)
	after := time.Date(2026, 8, 1, 0, 2, 0, 0, calendar.Zone)
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := dsn(t)
			a := storetest.OpenFixture(t, d)
			b, err := store.Open(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			for _, st := range []*store.Store{a, b} {
				if err := st.EnsurePartitions(ctx, before, after); err != nil {
					t.Fatal(err)
				}
			}
			now := after.Add(time.Minute)
			a.Now, b.Now = func() time.Time { return now }, func() time.Time { return now }
			if b.Postgres() {
				if got := b.RecentPartitions(now.Add(-time.Hour), now); len(got) != 2 {
					t.Fatalf("partitions followed = %v, want July's and August's", got)
				}
			}
			probe := screened(t, b, "crossing", now)
			if _, err := b.RecentActivity(ctx, probe, fraud.DefaultRules); err != nil {
				t.Fatal(err) // the windows load now, before a stores anything
			}
			for i, at := range []time.Time{before, before.Add(time.Minute), after} {
				r := screened(t, a, "crossing", at)
				r.Transaction = fmt.Sprintf("X-%d", i)
				if _, err := a.CreateReview(ctx, r, review.RateLimit{}); err != nil {
					t.Fatal(err)
				}
			}
			for range 2 {
				if err := b.FollowNow(ctx); err != nil {
					t.Fatal(err)
				}
				if got, err := b.RecentActivity(ctx, probe, fraud.DefaultRules); err != nil || got.Device != 3 {
					t.Errorf("the other process counts %d reviews of the device across the month's end (%v), want 3", got.Device, err)
				}
			}
		})
	}
}
