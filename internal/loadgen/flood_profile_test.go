package loadgen_test

import (
	"context"
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/loadgen"
)

var (
	floodProfile = flag.String("floodprofile", "", "write a CPU profile of the flood window alone to this file (BenchmarkFloodAfterHonest)")
	heapProfile  = flag.String("heapprofile", "", "write a heap profile of the server after the honest traffic to this file (BenchmarkFloodAfterHonest)")
	floodFor     = flag.Duration("floodfor", 20*time.Second, "the flood's length in BenchmarkFloodAfterHonest: past a minute it holds a scheduler tick")
	floodSources = flag.Int("floodsources", 0, "the flood's loopback source addresses in BenchmarkFloodAfterHonest, in turn (0: one address)")
	floodRotate  = flag.Bool("floodrotate", false, "give every flood request of BenchmarkFloodAfterHonest a browser identity of its own")
)

// BenchmarkFloodAfterHonest is bench.sh's second round in small: honest
// traffic, then a flood (one address, one browser; with -floodrotate a new
// browser identity every request, with -floodsources N from N addresses in
// turn) on the same server,
// which runs its background work as in service (the scheduler, the boards
// kept warm, the rollup folds). It reports this process's CPU per flood
// request, server and load generator together, and with -floodprofile a
// CPU profile of the flood window alone, which shows what the server does
// while refusing:
//
//	go test ./internal/loadgen/ -run '^$' -bench FloodAfterHonest/sqlite -benchtime 1x -floodprofile flood.out
//	go tool pprof -top -cum -ignore 'loadgen\.|http\.\(\*Transport' flood.out
func BenchmarkFloodAfterHonest(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			dsn := benchDSN(b, backend)
			url, m := benchServer(b, dsn, true)
			ctx := context.Background()
			for range b.N {
				honestFrom := writesNow(b, dsn)
				honest, err := loadgen.Run(ctx, honestLoad(url))
				if err != nil {
					b.Fatal(err)
				}
				// The honest review's cost, beside which the flood's is read.
				honestTo := writesNow(b, dsn)
				b.ReportMetric(float64((honestTo.cpu-honestFrom.cpu).Microseconds())/float64(max(honest.OK, 1)), "honest-cpu-µs/review")
				if *heapProfile != "" {
					writeHeap(b, *heapProfile)
				}
				if *floodProfile != "" {
					f, err := os.Create(*floodProfile)
					if err != nil {
						b.Fatal(err)
					}
					if err := pprof.StartCPUProfile(f); err != nil {
						b.Fatal(err)
					}
				}
				heldBefore := heldNow(b, m)
				before := writesNow(b, dsn)
				flood := floodLoad(url, *floodFor)
				flood.Sources, flood.Rotate = *floodSources, *floodRotate
				res, err := loadgen.Run(ctx, flood)
				after := writesNow(b, dsn)
				if *floodProfile != "" {
					pprof.StopCPUProfile()
				}
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.Requests)/res.Seconds, "requests/s")
				b.ReportMetric(float64((after.cpu-before.cpu).Microseconds())/float64(max(res.Requests, 1)), "cpu-µs/request")
				// What became of the flood: refused (a 4xx, decided in memory
				// when by a limit) or stored (201), and of those how many held.
				b.ReportMetric(float64(res.Requests-res.OK)/float64(max(res.Requests, 1)), "refused/request")
				b.ReportMetric(float64(heldNow(b, m)-heldBefore)/float64(max(res.OK, 1)), "held/stored")
				b.Logf("flood: %d requests, %d stored, errors %v; %d sources, rotate %v", res.Requests, res.OK, res.Errors, *floodSources, *floodRotate)
			}
		})
	}
}

// heldNow is the held reviews m's store holds.
func heldNow(b *testing.B, m *app.Main) int64 {
	b.Helper()
	var n int64
	if err := m.Store.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE held IS NOT NULL").Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// writeHeap writes a heap profile of this process, after a collection, to
// file.
func writeHeap(b *testing.B, file string) {
	b.Helper()
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}
