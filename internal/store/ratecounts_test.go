package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// A device's flood is refused past its limit within the window, whatever
// the group its reviews arrive in; a refused review does not count, and
// once the window has passed the device may review again. The same for a
// network, whatever device it uses.
func TestFloodRefusedWithinWindow(t *testing.T) {
	lim := review.RateLimit{Max: 3, Window: review.RateWindow, AddressMax: 5, AddressWindow: time.Hour}
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := storetest.Now
		send := func(after time.Duration, device, network string) error {
			r := screened(t, st, device, at.Add(after))
			r.NetMark = network
			_, err := st.CreateReview(ctx, r, lim)
			return err
		}
		for i := range lim.Max {
			if err := send(time.Duration(i)*time.Second, "flood", "net-a"); err != nil {
				t.Fatalf("review %d of the device: %v", i+1, err)
			}
		}
		for i := range 3 {
			err := send(time.Minute+time.Duration(i)*time.Second, "flood", fmt.Sprintf("net-%d", i))
			if !refusedBy(err, "client") {
				t.Fatalf("review past the device's limit: %v, want %v", err, lim.Allow(lim.Max))
			}
		}
		// The refused reviews did not count: ten minutes after the first
		// three, the device has its three again.
		for i := range lim.Max {
			if err := send(review.RateWindow+3*time.Second+time.Duration(i)*time.Millisecond, "flood", fmt.Sprintf("later-%d", i)); err != nil {
				t.Errorf("review %d of the device after its window: %v", i+1, err)
			}
		}
		// The network: it gave three already, through the flooding
		// device; two more from new devices, then refused.
		for i := range 5 {
			err := send(review.RateWindow+time.Minute+time.Duration(i)*time.Second, fmt.Sprintf("device-%d", i), "net-a")
			switch {
			case i < lim.AddressMax-lim.Max && err != nil:
				t.Errorf("review %d from the network: %v", lim.Max+i+1, err)
			case i >= lim.AddressMax-lim.Max && !refusedBy(err, "address"):
				t.Errorf("review %d from the network: %v, want %v", lim.Max+i+1, err, lim.AllowAddress(lim.AddressMax))
			}
		}
		if n := count(t, st, "reviews"); n != lim.Max+lim.AddressMax {
			t.Errorf("stored %d reviews, want %d", n, lim.Max+lim.AddressMax)
		}
	})
}

// An attacker who sends every review with a new browser identity, from
// one network, spreads them over devices the limit never refuses: the
// network limit holds them, exactly, whichever groups the reviews come in.
func TestRotatingDevicesHeldByNetwork(t *testing.T) {
	lim := review.RateLimit{Max: 2, Window: review.RateWindow, AddressMax: 40, AddressWindow: time.Hour}
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		errs := make([]error, 3*lim.AddressMax)
		var wg sync.WaitGroup
		for i := range errs {
			r := screened(t, st, fmt.Sprintf("identity-%d", i), storetest.Now.Add(time.Duration(i)*time.Millisecond))
			r.NetMark = "one-network"
			wg.Go(func() { _, errs[i] = st.CreateReview(ctx, r, lim) })
		}
		wg.Wait()
		stored := storedOrRefused(t, errs, func(err error) bool { return refusedBy(err, "address") }, "rotating attacker")
		if stored != lim.AddressMax {
			t.Errorf("stored %d reviews of the rotating attacker, want the network's limit %d", stored, lim.AddressMax)
		}
	})
}

// The counts are kept in memory, but a restart forgets none: a process
// that starts reads the last hour of reviews once, and refuses a device
// and a network at their limits before anything else has loaded them.
func TestRateCountsSurviveRestart(t *testing.T) {
	lim := review.RateLimit{Max: 2, Window: review.RateWindow, AddressMax: 3, AddressWindow: time.Hour}
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := dsn(t)
			at := storetest.Now
			before := storetest.OpenFixture(t, d)
			before.Now = func() time.Time { return at }
			for i, device := range []string{"flood", "flood", "other"} {
				r := screened(t, before, device, at.Add(time.Duration(i)*time.Second))
				r.NetMark = "net"
				if _, err := before.CreateReview(ctx, r, lim); err != nil {
					t.Fatal(err)
				}
			}
			// A new process on the database (the old one's windows are
			// not shared but through the database).
			after, err := store.Open(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { after.Close() })
			after.Now = func() time.Time { return at.Add(time.Minute) }
			r := screened(t, after, "flood", at.Add(time.Minute))
			r.NetMark = "elsewhere"
			if _, err := after.CreateReview(ctx, r, lim); !refusedBy(err, "client") {
				t.Errorf("the device after a restart: %v, want %v", err, lim.Allow(lim.Max))
			}
			r = screened(t, after, "new", at.Add(time.Minute))
			r.NetMark = "net"
			if _, err := after.CreateReview(ctx, r, lim); !refusedBy(err, "address") {
				t.Errorf("the network after a restart: %v, want %v", err, lim.AllowAddress(lim.AddressMax))
			}
		})
	}
}

// Two processes on one database share their counts through it. On SQLite
// each group reads, inside its write transaction, what the other stored:
// reviews that reach them one after another are counted as one process
// counts them. On PostgreSQL a group reads nothing first (one round trip)
// and a process sees the other's reviews when its follower reads them,
// once a second: reviews one after another are counted exactly once the
// follower has read those before (FollowNow, the second gone by), and
// within the second the other process's reviews pass unseen, at most what
// it can store for the mark in that second. Each process counts its own
// exactly, so that is the limit at most: a flood sent to both at once
// stores at most the limit through each, the limit plus (P-1) times the
// limit in all (docs/operating.md).
func TestRateLimitAcrossProcesses(t *testing.T) {
	lim := review.RateLimit{Max: 4, Window: review.RateWindow}
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
			b.Now = a.Now
			stores := []*store.Store{a, b}
			follow := func(st *store.Store) {
				t.Helper()
				if err := st.FollowNow(ctx); err != nil {
					t.Fatal(err)
				}
			}
			for i := range lim.Max + 2 {
				st := stores[i%2]
				if st.Postgres() {
					follow(st)
				}
				_, err := st.CreateReview(ctx, screened(t, st, "alternating", at.Add(time.Duration(i)*time.Second)), lim)
				switch {
				case i < lim.Max && err != nil:
					t.Fatalf("review %d: %v", i+1, err)
				case i >= lim.Max && !apperr.Is(err, apperr.TooMany):
					t.Errorf("review %d, through the other process than the one before: %v, want too many", i+1, err)
				}
			}
			const each = 24
			errs := make([]error, 2*each)
			var wg sync.WaitGroup
			for i := range errs {
				st := stores[i%2]
				r := screened(t, st, "both-at-once", at.Add(time.Minute+time.Duration(i)*time.Millisecond))
				wg.Go(func() { _, errs[i] = st.CreateReview(ctx, r, lim) })
			}
			wg.Wait()
			tooMany := func(err error) bool { return apperr.Is(err, apperr.TooMany) }
			stored := 0
			for p := range stores {
				var through []error
				for i := p; i < len(errs); i += len(stores) {
					through = append(through, errs[i])
				}
				n := storedOrRefused(t, through, tooMany, "flood through both")
				if n > lim.Max {
					t.Errorf("process %d stored %d reviews of the flood, past the limit %d of its own count", p, n, lim.Max)
				}
				stored += n
			}
			if stored < lim.Max || stored > lim.Max+(len(stores)-1)*lim.Max {
				t.Errorf("two processes stored %d reviews of the flood, want %d to %d", stored, lim.Max, lim.Max+(len(stores)-1)*lim.Max)
			}
			t.Logf("%s: a flood sent to two processes at once stored %d reviews, limit %d", name, stored, lim.Max)
		})
	}
}

// refusedBy reports whether err is a limit's refusal naming field.
func refusedBy(err error, field string) bool {
	e := apperr.As(err)
	return e != nil && e.Code == apperr.TooMany && e.Field == field
}

// storedOrRefused counts the nil errors of errs, the reviews stored, and
// reports any other error that refused does not accept.
func storedOrRefused(t *testing.T, errs []error, refused func(error) bool, what string) int {
	t.Helper()
	stored := 0
	for _, err := range errs {
		switch {
		case err == nil:
			stored++
		case !refused(err):
			t.Errorf("%s: %v, want stored or refused by the limit", what, err)
		}
	}
	return stored
}
