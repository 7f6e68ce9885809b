package loadgen_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/loadgen"
)

// BenchmarkHonestIntake posts honest traffic (many networks and paced
// devices) to a server in this process, for a CPU profile of intake:
//
//	go test ./internal/loadgen/ -run '^$' -bench HonestIntake -benchtime 1x -cpuprofile cpu.out
func BenchmarkHonestIntake(b *testing.B) {
	_, srv := newServer(b)
	for range b.N {
		res, err := loadgen.Run(context.Background(), loadgen.Config{URL: srv.URL,
			Concurrency: 16, Duration: 8 * time.Second, Sources: 200, Devices: 100000})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.Throughput, "reviews/s")
	}
}
