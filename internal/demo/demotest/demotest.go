// Package demotest loads a year of demo reviews for benchmarks, the same
// way in every package that measures against it.
package demotest

import (
	"context"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// DefaultReviews is a year of reviews at the trial's rate.
const DefaultReviews = 300_000

// Year opens a fresh SQLite store holding a year of demo reviews up to
// 4 January 2027 (HAOCHA_BENCH_REVIEWS of them, DefaultReviews when not
// set), with its clock frozen then. It returns the store, the clock's time
// and the number of reviews.
func Year(tb testing.TB) (*store.Store, time.Time, int) {
	tb.Helper()
	n := DefaultReviews
	if v, err := strconv.Atoi(os.Getenv("HAOCHA_BENCH_REVIEWS")); err == nil && v > 0 {
		n = v
	}
	st := storetest.Open(tb, storetest.SQLiteDSN(tb))
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	err := demo.Load(context.Background(), st, demo.Options{Reviews: n, Seed: 1,
		From: time.Date(2026, 1, 1, 0, 0, 0, 0, calendar.Zone), Days: 365, Now: now, Frozen: true})
	if err != nil {
		tb.Fatal(err)
	}
	return st, now, n
}

// Now is the instant of City's stores: a Thursday in December, late
// enough that a period from October holds a whole ended month.
var Now = time.Date(2026, 12, 10, 10, 0, 0, 0, calendar.Zone)

// City opens a store on dsn holding a demo city of 1,200 reviews (100 of
// them bad, seed 7) given over the days days up to Now, with its clock at
// Now. set moves the clock, for tests in which time passes; the store's
// clock may be read from other goroutines (a server under test) meanwhile.
func City(tb testing.TB, dsn string, days int) (st *store.Store, set func(time.Time)) {
	tb.Helper()
	st = storetest.Open(tb, dsn)
	var clock atomic.Pointer[time.Time]
	set = func(at time.Time) { clock.Store(&at) }
	set(Now)
	st.Now = func() time.Time { return *clock.Load() }
	if err := demo.Load(context.Background(), st, demo.Options{Reviews: 1200, Bad: 100, Seed: 7, Days: days, Now: Now}); err != nil {
		tb.Fatal(err)
	}
	return st, set
}
