package loadgen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
)

// The handler benchmarks call the server's handler (middleware, router,
// API, intake, store) without a network between, so that -benchmem counts
// what the server allocates for one request:
//
//	go test ./internal/loadgen/ -run '^$' -bench 'Handler' -benchmem
//
// net/http's own reading and writing of the connection is not in them
// (BenchmarkFloodIntake and BenchmarkHonestIntake have it). With
// -loadprofile FILE, BenchmarkHonestHandler writes a CPU profile of its
// requests alone (no set-up), as FILE.N for b.N requests.

// BenchmarkRefusedHandler is a flood's request once the device is past
// its limit: answered 429 from the counts in memory.
func BenchmarkRefusedHandler(b *testing.B) {
	m := benchApp(b, storetest.SQLiteDSN(b))
	h := m.Handler()
	body := payloads(b, 1)[0]
	// Up to the limit, then past it.
	for i := 0; ; i++ {
		w := newSink()
		h.ServeHTTP(w, reviewRequest(body, "192.0.2.1:40000", "flood"))
		if w.status == http.StatusTooManyRequests {
			break
		}
		if i > 2*review.AddressRateMax {
			b.Fatalf("never refused: %d", w.status)
		}
	}
	w := newSink()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w.reset()
		h.ServeHTTP(w, reviewRequest(body, "192.0.2.1:40000", "flood"))
		if w.status != http.StatusTooManyRequests {
			b.Fatalf("status %d: %s", w.status, w.body.Bytes())
		}
	}
}

// BenchmarkHonestHandler is honest traffic: every review from a device of
// its own, spread over many networks, 16 in flight so that the group
// commit gathers them as it does under load.
func BenchmarkHonestHandler(b *testing.B) {
	m := benchApp(b, storetest.SQLiteDSN(b))
	h := m.Handler()
	bodies := payloads(b, 4096)
	var n atomic.Int64
	b.SetParallelism(8)
	b.ReportAllocs()
	cpu := processCPU()
	b.ResetTimer()
	stop := loadProfile(b, b.N)
	b.RunParallel(func(pb *testing.PB) {
		w := newSink()
		for pb.Next() {
			i := n.Add(1)
			w.reset()
			addr := fmt.Sprintf("10.%d.%d.1:40000", i/250%250, i%250)
			h.ServeHTTP(w, reviewRequest(bodies[i%int64(len(bodies))], addr, fmt.Sprintf("device %d", i)))
			if w.status != http.StatusCreated {
				b.Errorf("status %d: %s", w.status, w.body.Bytes())
				return
			}
		}
	})
	stop()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reviews/s")
	// CPU rather than wall time: on a shared machine the wall time per
	// review is mostly waiting; the committers and folder count too.
	b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/review")
}

// processCPU is this process's CPU time so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// payloads are n submissions as loadgen posts them.
func payloads(b *testing.B, n int) [][]byte {
	g := loadgen.NewGenerator(loadgen.NewIndex(demo.Catalog(), review.DefaultDimensions), 1)
	out := make([][]byte, n)
	for i := range out {
		var err error
		if out[i], err = json.Marshal(g.Next()); err != nil {
			b.Fatal(err)
		}
	}
	return out
}

func reviewRequest(body []byte, addr, agent string) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, "/api/v1/reviews", bytes.NewReader(body))
	r.RemoteAddr = addr
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", agent)
	return r
}

// sink is a ResponseWriter that keeps the status and body, reused from
// one request to the next as net/http reuses its buffers.
type sink struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newSink() *sink { return &sink{header: http.Header{}} }

func (s *sink) reset() {
	clear(s.header)
	s.status = 0
	s.body.Reset()
}

func (s *sink) Header() http.Header { return s.header }

func (s *sink) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}

func (s *sink) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.body.Write(p)
}
