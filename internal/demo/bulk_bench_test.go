package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/store/storetest"
)

// BenchmarkBulkLoad loads 200,000 demo reviews, as `haocha demo` does, and
// reports reviews per second and this process's CPU per review (on
// PostgreSQL the server's is reported apart). Profile the load with
// -cpuprofile; -benchtime 1x.
func BenchmarkBulkLoad(b *testing.B) {
	for name, dsn := range storetest.Backends(b) {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			const n = 200_000
			for range b.N {
				b.StopTimer()
				st := storetest.Open(b, dsn(b))
				o := demo.Options{Reviews: n, Days: 365, Seed: 1, Contacts: st.Keys, Frozen: true}
				var server time.Duration
				if name == "postgres" {
					server = storetest.BackendsCPU(b, st.DB())
				}
				r := storetest.StartRate(b)
				b.StartTimer()
				if err := demo.Load(ctx, st, o); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				r.Report(b, n, "review")
				if name == "postgres" {
					server = storetest.BackendsCPU(b, st.DB()) - server
					b.ReportMetric(float64(server.Microseconds())/n, "server-cpu-µs/review")
				}
			}
		})
	}
}
