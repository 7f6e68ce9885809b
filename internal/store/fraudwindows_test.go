package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// screened is a review from device mark at at, as intake hands it over.
func screened(t *testing.T, st *store.Store, mark string, at time.Time) *review.Review {
	t.Helper()
	r := mustAccept(t, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1,
		Comment: "等了很久", Anonymous: &yes})
	r.ClientMark, r.CreatedAt = mark, at
	return r
}

// Counts kept in memory stay within their bound however many devices
// come: a million-device flood cannot grow the process.
func TestWindowsKeepBoundedKeys(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	at := storetest.Now
	var rs []*review.Review
	for i := range 3 * store.MaxWindowKeys {
		rs = append(rs, screened(t, st, fmt.Sprintf("device-%d", i), at))
		if len(rs) == 128 {
			if _, errs := st.StoreGroup(rs, review.RateLimit{}); errs[0] != nil {
				t.Fatal(errs[0])
			}
			rs = rs[:0]
		}
		if i == 0 {
			// The windows load on first use.
			if _, err := st.RecentActivity(ctx, rs[0], fraud.DefaultRules); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := st.WindowKeys(); n > store.MaxWindowKeys || n == 0 {
		t.Errorf("windows keep %d keys of a kind, want at most %d", n, store.MaxWindowKeys)
	}
	// The latest device is still counted.
	last := screened(t, st, fmt.Sprintf("device-%d", 3*store.MaxWindowKeys-129), at.Add(time.Second))
	got, err := st.RecentActivity(ctx, last, fraud.DefaultRules)
	if err != nil || got.Device != 1 {
		t.Errorf("a recent device counts %d reviews (%v), want 1", got.Device, err)
	}
}

// A device past the limit is still refused in memory after a city's worth
// of other devices came, each with a review: the windows make room by
// dropping the lightest keys, not the flood's, whose every request would
// otherwise cost a database round before the store refused it.
func TestWindowsKeepTheFloodAmongManyDevices(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	lim := review.RateLimit{Max: 5, Window: review.RateWindow}
	at := storetest.Now
	var flood []*review.Review
	for i := range lim.Max {
		flood = append(flood, screened(t, st, "flood", at.Add(time.Duration(i)*time.Millisecond)))
	}
	if err := st.OverLimit(ctx, flood[0], lim); err != nil { // the windows load on first use
		t.Fatal(err)
	}
	if _, errs := st.StoreGroup(flood, lim); errs[0] != nil {
		t.Fatal(errs[0])
	}
	var rs []*review.Review
	for i := range 3 * store.MaxWindowKeys {
		rs = append(rs, screened(t, st, fmt.Sprintf("device-%d", i), at.Add(time.Second)))
		if len(rs) == 128 {
			if _, errs := st.StoreGroup(rs, lim); errs[0] != nil {
				t.Fatal(errs[0])
			}
			rs = rs[:0]
		}
	}
	if n := st.WindowKeys(); n > store.MaxWindowKeys {
		t.Errorf("windows keep %d keys of a kind, want at most %d", n, store.MaxWindowKeys)
	}
	st.DB().Close() // refused from memory, or not at all
	err := st.OverLimit(ctx, screened(t, st, "flood", at.Add(2*time.Second)), lim)
	if err == nil || err.Error() != lim.Allow(lim.Max).Error() {
		t.Errorf("the flood's next review after %d other devices: %v, want %v", 3*store.MaxWindowKeys, err, lim.Allow(lim.Max))
	}
}

// Two processes on one database see each other's reviews once the
// follower has read them: a flood spread over two servers is one flood.
func TestWindowsSharedBetweenProcesses(t *testing.T) {
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
			at := storetest.Now
			a.Now, b.Now = func() time.Time { return at }, func() time.Time { return at }
			probe := screened(t, b, "shared", at.Add(time.Minute))
			if got, err := b.RecentActivity(ctx, probe, fraud.DefaultRules); err != nil || got.Device != 0 {
				t.Fatalf("before: %+v %v", got, err)
			}
			lim := review.RateLimit{Max: 3, Window: review.RateWindow}
			for i := range 3 {
				if _, err := a.CreateReview(ctx, screened(t, a, "shared", at.Add(time.Duration(i)*time.Second)), lim); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.FollowNow(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := b.RecentActivity(ctx, probe, fraud.DefaultRules)
			if err != nil || got.Device != 3 {
				t.Errorf("the other process counts %d reviews of the device (%v), want 3", got.Device, err)
			}
			// Read again, nothing is counted twice.
			if err := b.FollowNow(ctx); err != nil {
				t.Fatal(err)
			}
			if got, _ := b.RecentActivity(ctx, probe, fraud.DefaultRules); got.Device != 3 {
				t.Errorf("after a second read %d, want 3", got.Device)
			}
			// And it refuses the device in memory.
			if err := b.OverLimit(ctx, probe, lim); err == nil {
				t.Error("the other process lets the device past its limit")
			}
		})
	}
}

// A refusal by the limit is decided in memory: with the database gone,
// the flood is still refused, with the limit's own error.
func TestOverLimitNeedsNoDatabase(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	lim := review.RateLimit{Max: 2, Window: review.RateWindow}
	for i := range 2 {
		r := screened(t, st, "flood", storetest.Now.Add(time.Duration(i)*time.Second))
		if err := st.OverLimit(ctx, r, lim); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateReview(ctx, r, lim); err != nil {
			t.Fatal(err)
		}
	}
	st.DB().Close()
	err := st.OverLimit(ctx, screened(t, st, "flood", storetest.Now.Add(3*time.Second)), lim)
	if err == nil || err.Error() != lim.Allow(2).Error() {
		t.Errorf("third review: %v, want %v", err, lim.Allow(2))
	}
}

// An attacker who changes browser identity every request from one
// address is refused by the network limit, in memory: every device key
// is new and light, the network's is not, and with the database gone the
// refusal is the same.
func TestNetworkLimitRefusesNewIdentitiesWithoutDatabase(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	lim := review.RateLimit{Max: 2, Window: review.RateWindow, AddressMax: 20, AddressWindow: review.AddressRateWindow}
	at := storetest.Now
	from := func(i int) *review.Review {
		r := screened(t, st, fmt.Sprintf("identity-%d", i), at.Add(time.Duration(i)*time.Millisecond))
		r.NetMark = "one-address"
		return r
	}
	if err := st.OverLimit(ctx, from(0), lim); err != nil { // the windows load on first use
		t.Fatal(err)
	}
	var rs []*review.Review
	for i := range lim.AddressMax {
		rs = append(rs, from(i))
	}
	if _, errs := st.StoreGroup(rs, lim); errs[0] != nil {
		t.Fatal(errs[0])
	}
	// A city's other devices, one review each, past the windows' bound.
	rs = rs[:0]
	for i := range 2 * store.MaxWindowKeys {
		r := screened(t, st, fmt.Sprintf("citizen-%d", i), at.Add(time.Second))
		r.NetMark = fmt.Sprintf("net-%d", i)
		if rs = append(rs, r); len(rs) == 128 {
			if _, errs := st.StoreGroup(rs, lim); errs[0] != nil {
				t.Fatal(errs[0])
			}
			rs = rs[:0]
		}
	}
	st.DB().Close() // refused from memory, or not at all
	for i := range 50 {
		err := st.OverLimit(ctx, from(1000+i), lim)
		if err == nil || err.Error() != lim.AllowAddress(lim.AddressMax).Error() {
			t.Fatalf("new identity %d from the address past its limit: %v, want %v", i, err, lim.AllowAddress(lim.AddressMax))
		}
	}
}

// A held review that ends a burst holds the burst's earlier reviews in the
// transaction that stores it: those stored before and those of its own
// group. They leave the statistics and their work orders leave the
// operator's queue.
func TestBurstHeldInGroupCommit(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := storetest.Now.Add(-time.Hour)
		if _, err := st.RecentActivity(ctx, screened(t, st, "x", at), fraud.DefaultRules); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := st.CreateReview(ctx, screened(t, st, "burst", at.Add(time.Duration(i)*time.Second)), review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
		}
		other := screened(t, st, "other", at.Add(4*time.Second))
		sameGroup := screened(t, st, "burst", at.Add(5*time.Second))
		ender := screened(t, st, "burst", at.Add(6*time.Second))
		ender.Held = "5 reviews from one device within 10m"
		ender.Bursts = []review.Burst{{Signal: string(fraud.DeviceVelocity), Window: 10 * time.Minute}}
		commits := st.GroupCommits()
		if _, errs := st.StoreGroup([]*review.Review{other, sameGroup, ender}, review.RateLimit{}); errs[0] != nil || errs[1] != nil || errs[2] != nil {
			t.Fatal(errs)
		}
		if n := st.GroupCommits() - commits; n != 1 {
			t.Errorf("%d transactions, want the group's one", n)
		}
		var held, open int
		st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE client_mark = 'burst' AND held LIKE 'burst: %'").Scan(&held)
		st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE held IS NULL").Scan(&open)
		if held != 4 || open != 1 {
			t.Errorf("%d of the burst's earlier reviews held, %d reviews counted; want 4 and the other device's 1", held, open)
		}
		tally, err := st.Stats(ctx, review.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if n := tally.Stars[0]; n != 1 {
			t.Errorf("statistics count %d one-star reviews, want the other device's 1", n)
		}
		if n, _ := st.CountOrders(ctx, workorder.Filter{Suspected: true}); n != 5 {
			t.Errorf("%d work orders suspected, want the burst's 5", n)
		}
		// A held review after it has nothing left to hold: no statement.
		next := screened(t, st, "burst", at.Add(7*time.Second))
		next.Held, next.Bursts = ender.Held, ender.Bursts
		if _, err := st.CreateReview(ctx, next, review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		if n, _ := st.CountOrders(ctx, workorder.Filter{Suspected: true}); n != 6 {
			t.Errorf("%d work orders suspected, want 6", n)
		}
	})
}

// Following what other processes store reads the new reviews by their
// id, never the whole table: a scan every second made intake cost more
// the more reviews the database held (bench/RESULTS.md's SQLite rounds).
func TestFollowReadsByID(t *testing.T) {
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	plans, err := st.FollowPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		if strings.HasPrefix(p, "SCAN") {
			t.Errorf("a follow read scans: %q (plans %q)", p, plans)
		}
	}
}
