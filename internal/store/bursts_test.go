package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// fromMarks is a review of device dev from network net at at.
func fromMarks(t *testing.T, st *store.Store, dev, net string, at time.Time) *review.Review {
	t.Helper()
	r := screened(t, st, dev, at)
	r.NetMark = net
	return r
}

// ending makes r the held review that ends a burst through sig.
func ending(r *review.Review, sig fraud.Signal) *review.Review {
	r.Held = fmt.Sprintf("a burst through %s", sig)
	r.Bursts = []review.Burst{{Signal: string(sig), Window: 10 * time.Minute}}
	return r
}

// heldBy counts the reviews whose column col is mark that are held, and
// the reviews not held at all.
func heldBy(t *testing.T, st *store.Store, col, mark string) (held, open int) {
	t.Helper()
	if err := st.DB().QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM reviews WHERE %s = '%s' AND held IS NOT NULL", col, mark)).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE held IS NULL").Scan(&open); err != nil {
		t.Fatal(err)
	}
	return held, open
}

// process is another process on the database d, its clock stopped at
// at.
func process(t *testing.T, d string, at time.Time) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return at }
	return st
}

// fixtureAt is the fixture's database d opened, its clock stopped at at.
func fixtureAt(t *testing.T, d string, at time.Time) *store.Store {
	t.Helper()
	st := storetest.OpenFixture(t, d)
	st.Now = func() time.Time { return at }
	return st
}

// loadWindows loads st's windows, as intake's screening does before the
// first review.
func loadWindows(t *testing.T, st *store.Store, at time.Time) {
	t.Helper()
	if _, err := st.RecentActivity(context.Background(), screened(t, st, "probe", at), fraud.DefaultRules); err != nil {
		t.Fatal(err)
	}
}

// rotations are the ways an attacker spreads a flood over the marks it
// controls: a new browser identity for every review from one network,
// and one device moving from network to network. The mark it cannot
// change, the burst's, is in col.
var rotations = []struct {
	name      string
	sig       fraud.Signal
	col, mark string
	marks     func(i int) (dev, net string)
}{
	{"devices rotating in one network", fraud.AddressVelocity, "net_mark", "one-network", func(i int) (string, string) {
		return fmt.Sprintf("identity-%d", i), "one-network"
	}},
	{"networks of one device", fraud.DeviceVelocity, "client_mark", "one-device", func(i int) (string, string) {
		return "one-device", fmt.Sprintf("network-%d", i)
	}},
}

// The review that ends a burst holds every earlier review of it, by id
// from the windows (no read of reviews by the mark, which has no index),
// however the attacker rotates the marks it controls: devices within one
// network, or networks with one device. The burst is stored one review at
// a time and in groups, with an honest review among it, which stays.
func TestBurstHeldCompletely(t *testing.T) {
	for _, rot := range rotations {
		t.Run(rot.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				at := storetest.Now.Add(-time.Hour)
				loadWindows(t, st, at)
				const n = 40
				var group []*review.Review
				for i := range n {
					dev, net := rot.marks(i)
					r := fromMarks(t, st, dev, net, at.Add(time.Duration(i)*time.Second))
					if i%3 == 0 {
						if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
							t.Fatal(err)
						}
						continue
					}
					if group = append(group, r); len(group) == 6 {
						if _, errs := st.StoreGroup(group, review.RateLimit{}); errs[0] != nil {
							t.Fatal(errs[0])
						}
						group = group[:0]
					}
				}
				if _, errs := st.StoreGroup(group, review.RateLimit{}); len(group) > 0 && errs[0] != nil {
					t.Fatal(errs[0])
				}
				if _, err := st.CreateReview(ctx, fromMarks(t, st, "citizen", "home", at.Add(30*time.Second)), review.RateLimit{}); err != nil {
					t.Fatal(err)
				}
				dev, net := rot.marks(n)
				byCond := st.BurstsByCondition()
				if _, err := st.CreateReview(ctx, ending(fromMarks(t, st, dev, net, at.Add(n*time.Second)), rot.sig), review.RateLimit{}); err != nil {
					t.Fatal(err)
				}
				if held, open := heldBy(t, st, rot.col, rot.mark); held != n+1 || open != 1 {
					t.Errorf("%d of the burst's %d reviews held, %d reviews not held; want all and the honest one", held, n+1, open)
				}
				if c := st.BurstsByCondition() - byCond; c != 0 {
					t.Errorf("%d bursts held by their condition on reviews, want by id", c)
				}
				if got, _ := st.CountOrders(ctx, workorder.Filter{Suspected: true}); got != n+1 {
					t.Errorf("%d work orders suspected, want the burst's %d", got, n+1)
				}
			})
		})
	}
}

// A process that starts holds a burst whole: the windows' load at start
// carries the ids of the last hour's reviews.
func TestBurstHeldAcrossRestart(t *testing.T) {
	for _, rot := range rotations {
		t.Run(rot.name, func(t *testing.T) {
			for name, dsn := range storetest.Backends(t) {
				t.Run(name, func(t *testing.T) {
					ctx := context.Background()
					d := dsn(t)
					at := storetest.Now
					before := fixtureAt(t, d, at)
					loadWindows(t, before, at)
					const n = 12
					for i := range n {
						dev, net := rot.marks(i)
						if _, err := before.CreateReview(ctx, fromMarks(t, before, dev, net, at.Add(time.Duration(i)*time.Second)), review.RateLimit{}); err != nil {
							t.Fatal(err)
						}
					}
					after := process(t, d, at.Add(time.Minute))
					loadWindows(t, after, at.Add(time.Minute))
					dev, net := rot.marks(n)
					if _, err := after.CreateReview(ctx, ending(fromMarks(t, after, dev, net, at.Add(time.Minute)), rot.sig), review.RateLimit{}); err != nil {
						t.Fatal(err)
					}
					if held, open := heldBy(t, after, rot.col, rot.mark); held != n+1 || open != 0 {
						t.Errorf("after a restart %d of the burst's %d reviews held, %d not held", held, n+1, open)
					}
					if c := after.BurstsByCondition(); c != 0 {
						t.Errorf("%d bursts held by their condition on reviews, want by id", c)
					}
				})
			}
		})
	}
}

// Another process's reviews of a burst that this process's windows have
// not read yet when it holds the burst are held as soon as they reach
// the windows: by the follower's next read (here FollowNow), which holds
// them in a transaction of its own when no group commit came first.
func TestBurstLearntLateHeld(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := dsn(t)
			at := storetest.Now
			a := fixtureAt(t, d, at)
			b := process(t, d, at)
			loadWindows(t, a, at)
			loadWindows(t, b, at)
			for i := range 6 {
				if _, err := a.CreateReview(ctx, fromMarks(t, a, "device", fmt.Sprintf("net-%d", i), at.Add(time.Duration(i)*time.Second)), review.RateLimit{}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := b.CreateReview(ctx, ending(fromMarks(t, b, "device", "net-b", at.Add(10*time.Second)), fraud.DeviceVelocity), review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
			if err := b.FollowNow(ctx); err != nil {
				t.Fatal(err)
			}
			if held, open := heldBy(t, b, "client_mark", "device"); held != 7 || open != 0 {
				t.Errorf("%d of the burst's 7 reviews held once the other process's are read, %d not held", held, open)
			}
			if got, _ := b.CountOrders(ctx, workorder.Filter{Suspected: true}); got != 7 {
				t.Errorf("%d work orders suspected, want the burst's 7", got)
			}
			// The statistics leave them out.
			if err := a.FoldRollups(ctx); err != nil {
				t.Fatal(err)
			}
			tally, err := a.Stats(ctx, review.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if n := tally.Stars[0]; n != 0 {
				t.Errorf("statistics count %d one-star reviews, want none", n)
			}
		})
	}
}

// A burst with more open reviews than a ring keeps (maxRingCap) is held
// whole all the same, by its condition on reviews, which for a device
// reads the burst's window through reviews_created.
func TestBurstPastTheRingHeldByCondition(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := storetest.Now.Add(-time.Hour)
		loadWindows(t, st, at)
		n := store.MaxRingCap + 100
		var group []*review.Review
		for i := range n {
			r := fromMarks(t, st, "device", fmt.Sprintf("net-%d", i), at.Add(time.Duration(i)*time.Millisecond))
			if group = append(group, r); len(group) == 128 || i == n-1 {
				if _, errs := st.StoreGroup(group, review.RateLimit{}); errs[0] != nil {
					t.Fatal(errs[0])
				}
				group = group[:0]
			}
		}
		byCond := st.BurstsByCondition()
		if _, err := st.CreateReview(ctx, ending(fromMarks(t, st, "device", "net-x", at.Add(time.Minute)), fraud.DeviceVelocity), review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		if held, open := heldBy(t, st, "client_mark", "device"); held != n+1 || open != 0 {
			t.Errorf("%d of the burst's %d reviews held, %d not held", held, n+1, open)
		}
		if c := st.BurstsByCondition() - byCond; c != 1 {
			t.Errorf("%d bursts held by their condition, want the one the ring could not name whole", c)
		}
		// Held, the span counts as known: the next held review needs no
		// statement by condition.
		if _, err := st.CreateReview(ctx, ending(fromMarks(t, st, "device", "net-y", at.Add(time.Minute+time.Second)), fraud.DeviceVelocity), review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		if c := st.BurstsByCondition() - byCond; c != 1 {
			t.Errorf("%d bursts held by their condition after the next, want still 1", c)
		}
	})
}
