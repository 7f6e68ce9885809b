package api_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/haocha/haocha/internal/store/storetest"
)

// BenchmarkCreateReview measures durable review intake through the HTTP
// handler into SQLite (WAL, synchronous=FULL): each 201 is on disk.
// Run: go test ./internal/api -run '^$' -bench CreateReview -benchmem
//
// With HAOCHA_TEST_POSTGRES set it measures PostgreSQL too.
func BenchmarkCreateReview(b *testing.B) {
	for backend, dsn := range storetest.Backends(b) {
		for _, par := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/clients=%d", backend, par*2), func(b *testing.B) {
				_, h := newServerOn(b, dsn(b))
				var n atomic.Int64
				b.SetParallelism(par)
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						i := n.Add(1)
						stars := 5 - int(i%5)
						body := fmt.Sprintf(`{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1",
						"stars":%d,"dimensions":{"accuracy":4,"efficiency":5,"convenience":4,"innovation":3},
						"tags":["attitude"],"comment":"窗口等候时间长","anonymous":true,"transaction":"BJ%d"}`, stars, i)
						if rec := do(h, "POST", "/api/v1/reviews", body); rec.Code != http.StatusCreated {
							b.Fatalf("status %d: %s", rec.Code, rec.Body)
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reviews/s")
			})
		}
	}
}
