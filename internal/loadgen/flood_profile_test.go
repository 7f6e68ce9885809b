package loadgen_test

import (
	"context"
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/loadgen"
)

var (
	floodProfile = flag.String("floodprofile", "", "write a CPU profile of the flood window alone to this file (BenchmarkFloodAfterHonest)")
	heapProfile  = flag.String("heapprofile", "", "write a heap profile of the server after the honest traffic to this file (BenchmarkFloodAfterHonest)")
	floodFor     = flag.Duration("floodfor", 20*time.Second, "the flood's length in BenchmarkFloodAfterHonest: past a minute it holds a scheduler tick")
)

// BenchmarkFloodAfterHonest is bench.sh's second round in small: honest
// traffic, then a flood (one address, one browser) on the same server,
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
			url := benchServer(b, dsn, true)
			ctx := context.Background()
			for range b.N {
				if _, err := loadgen.Run(ctx, honestLoad(url)); err != nil {
					b.Fatal(err)
				}
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
				before := writesNow(b, dsn)
				res, err := loadgen.Run(ctx, floodLoad(url, *floodFor))
				after := writesNow(b, dsn)
				if *floodProfile != "" {
					pprof.StopCPUProfile()
				}
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.Requests)/res.Seconds, "requests/s")
				b.ReportMetric(float64((after.cpu-before.cpu).Microseconds())/float64(max(res.Requests, 1)), "cpu-µs/request")
			}
		})
	}
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
