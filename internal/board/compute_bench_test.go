package board_test

import (
	"context"
	"testing"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/demo/demotest"
	"github.com/haocha/haocha/internal/index"
)

// BenchmarkBoard computes the boards GET /api/v1/index answers, uncached,
// over the default 30 days of a year of demo reviews
// (HAOCHA_BENCH_REVIEWS, 300,000 by default) on SQLite.
func BenchmarkBoard(b *testing.B) {
	st, now, n := demotest.Year(b)
	from, to := board.Recent(now)
	for _, sc := range []index.Scope{index.City, index.District, index.Unit, index.Workstation} {
		b.Run(string(sc), func(b *testing.B) {
			for b.Loop() {
				if _, err := board.Compute(context.Background(), st, sc, "", from, to); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "reviews")
		})
	}
}
