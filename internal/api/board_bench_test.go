package api_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store/storetest"
)

// BenchmarkBoard computes the boards GET /api/v1/index answers, uncached,
// over the default 30 days of a year of demo reviews
// (HAOCHA_BENCH_REVIEWS, 300,000 by default) on SQLite.
func BenchmarkBoard(b *testing.B) {
	n := 300_000
	if v, err := strconv.Atoi(os.Getenv("HAOCHA_BENCH_REVIEWS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	st := storetest.Open(b, storetest.SQLiteDSN(b))
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	err := demo.Load(ctx, st, demo.Options{Reviews: n, Seed: 1, From: now.AddDate(-1, 0, 0), Days: 365, Now: now, Frozen: true})
	if err != nil {
		b.Fatal(err)
	}
	a := &api.API{Store: st}
	from, to := board.Recent(now)
	for _, sc := range []index.Scope{index.City, index.District, index.Unit, index.Workstation} {
		b.Run(string(sc), func(b *testing.B) {
			for b.Loop() {
				if _, err := a.Board(ctx, sc, from, to); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "reviews")
		})
	}
}
