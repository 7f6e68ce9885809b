package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo/demotest"
	"github.com/haocha/haocha/internal/index"
)

// BenchmarkOrderCounts counts the work-order part of the index over a
// year that is not a standard period (5 January 2026 to 4 January 2027,
// as of the morning of the 4th), for a scope and the city, on a year of
// demo reviews (demotest.Year: HAOCHA_BENCH_REVIEWS, SQLite): from the
// work orders themselves, as before migration 0215 ("orders"), and from
// the order rollups ("rollups"), built before the timer starts.
func BenchmarkOrderCounts(b *testing.B) {
	st, now, n := demotest.Year(b)
	ctx := context.Background()
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, calendar.Zone)
	if err := st.BuildOrderRollups(ctx); err != nil {
		b.Fatal(err)
	}
	var orders int64
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM work_orders").Scan(&orders); err != nil {
		b.Fatal(err)
	}
	for _, sc := range []index.Scope{index.Unit, index.Staff} {
		for _, fromOrders := range []bool{true, false} {
			name := string(sc) + "/rollups"
			if fromOrders {
				name = string(sc) + "/orders"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, err := st.OrderCounts(ctx, sc, from, now, now, fromOrders); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n), "reviews")
				b.ReportMetric(float64(orders), "orders")
			})
		}
	}
}
