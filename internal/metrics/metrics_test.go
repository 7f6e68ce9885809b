package metrics

import (
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Reviews and requests are counted under their own labels, each series
// once, when many count at once (run with -race).
func TestCountedByLabels(t *testing.T) {
	m := newTestMetrics(t)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 100 {
				m.Accepted([]string{"kiosk", "app", "sms"}[(w+i)%3])
				m.Observe([]string{"POST /api/v1/reviews", "GET /healthz", ""}[i%3], []int{201, 429, 200, 999}[i%4], time.Millisecond)
			}
		})
	}
	wg.Wait()
	got := scrape(t, m)
	for ch, want := range map[string]float64{"kiosk": 267, "app": 267, "sms": 266} {
		if name := fmt.Sprintf(`haocha_reviews_accepted_total{channel=%q}`, ch); got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
	for _, c := range []struct {
		route, code string
		want        float64
	}{
		{"POST /api/v1/reviews", "2xx", 136}, {"POST /api/v1/reviews", "4xx", 64}, {"POST /api/v1/reviews", "9xx", 72},
		{"GET /healthz", "2xx", 128}, {"GET /healthz", "4xx", 72}, {"GET /healthz", "9xx", 64},
		{"unmatched", "2xx", 136}, {"unmatched", "4xx", 64}, {"unmatched", "9xx", 64},
	} {
		name := fmt.Sprintf(`haocha_http_request_duration_seconds_count{code=%q,route=%q}`, c.code, c.route)
		if got[name] != c.want {
			t.Errorf("%s = %v, want %v", name, got[name], c.want)
		}
	}
}

// BenchmarkObserve is the metrics of one review's request: its latency
// and the review accepted. cpu-ns/op is the process's CPU time, which a
// busy machine inflates less than ns/op.
func BenchmarkObserve(b *testing.B) {
	m := newTestMetrics(b)
	b.ReportAllocs()
	cpu := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Observe("POST /api/v1/reviews", 201, time.Millisecond)
			m.Accepted("kiosk")
		}
	})
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// processCPU is this process's CPU time so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
