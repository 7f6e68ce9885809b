package loadgen

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest value that at least p percent of the
// values do not exceed. It is always one of the measured values, never an
// interpolation. It returns 0 for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Result is what one run measured. Latencies are in milliseconds.
type Result struct {
	Mode        string         `json:"mode"` // "post", "get" or "raw"
	Target      string         `json:"target"`
	Concurrency int            `json:"concurrency"`
	Rate        float64        `json:"rate,omitempty"` // target per second; 0 = as fast as the workers go
	Seconds     float64        `json:"seconds"`
	Requests    int            `json:"requests"`
	OK          int            `json:"ok"` // 201s for POST, 200s for GET, rows for raw
	Errors      map[string]int `json:"errors"`
	// Missed counts sends the pacer could not start on time because every
	// worker was busy (rate mode only): the target rate was not reached.
	Missed int `json:"missed,omitempty"`
	// FirstError is the first failure's message, for raw inserts, whose
	// errors have no status to tell them apart.
	FirstError string `json:"first_error,omitempty"`
	// Batch is the rows per INSERT of a raw run; throughput counts rows.
	Batch      int     `json:"batch,omitempty"`
	Throughput float64 `json:"throughput"` // successful per second
	P50        float64 `json:"p50_ms"`
	P95        float64 `json:"p95_ms"`
	P99        float64 `json:"p99_ms"`
	Max        float64 `json:"max_ms"`
	Mean       float64 `json:"mean_ms"`
	// Who the requests came from: loadgen's Sources and Devices (0: one
	// address, one identity), the least time between two reviews of a
	// device, and the server's clock at the start when one was given.
	Sources   int    `json:"sources,omitempty"`
	Devices   int    `json:"devices,omitempty"`
	DeviceGap string `json:"device_gap,omitempty"`
	// Rotate: every request had a browser identity of its own.
	Rotate bool   `json:"rotate,omitempty"`
	Clock  string `json:"clock,omitempty"`
	// ClientCPU is loadgen's own CPU time (user and system, getrusage)
	// over the run divided by its requests, in µs: it shares the machine
	// with the server it measures.
	ClientCPU float64 `json:"client_cpu_us,omitempty"`
}

// summarize fills r's figures from the latencies of successful requests.
func (r *Result) summarize(lat []time.Duration, elapsed time.Duration) {
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
	r.Seconds = math.Round(elapsed.Seconds()*1000) / 1000
	r.OK = len(lat)
	if elapsed > 0 {
		r.Throughput = math.Round(float64(len(lat))/elapsed.Seconds()*10) / 10
	}
	r.P50, r.P95, r.P99 = ms(Percentile(lat, 50)), ms(Percentile(lat, 95)), ms(Percentile(lat, 99))
	if len(lat) > 0 {
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		r.Max, r.Mean = ms(lat[len(lat)-1]), ms(sum/time.Duration(len(lat)))
	}
}

// Print writes r for a person to read.
func (r *Result) Print(w io.Writer) {
	fmt.Fprintf(w, "%s %s: concurrency %d", r.Mode, r.Target, r.Concurrency)
	if r.Rate > 0 {
		fmt.Fprintf(w, ", target %.0f/s", r.Rate)
	}
	fmt.Fprintf(w, ", %.1fs\n", r.Seconds)
	if r.Sources > 0 || r.Devices > 0 || r.Rotate {
		if r.Rotate {
			fmt.Fprintf(w, "  clients    %d source addresses, a new browser identity every request", max(r.Sources, 1))
		} else {
			fmt.Fprintf(w, "  clients    %d source addresses, %d devices", max(r.Sources, 1), max(r.Devices, 1))
		}
		if r.DeviceGap != "" {
			fmt.Fprintf(w, ", each device at most once in %s", r.DeviceGap)
		}
		fmt.Fprintln(w)
	}
	if r.Clock != "" {
		fmt.Fprintf(w, "  clock      %s at the start (the server's, HAOCHA_BENCH_NOW)\n", r.Clock)
	}
	fmt.Fprintf(w, "  requests   %d (ok %d)\n", r.Requests, r.OK)
	fmt.Fprintf(w, "  throughput %.1f/s\n", r.Throughput)
	fmt.Fprintf(w, "  latency    p50 %.2fms  p95 %.2fms  p99 %.2fms  max %.2fms  mean %.2fms\n",
		r.P50, r.P95, r.P99, r.Max, r.Mean)
	if r.ClientCPU > 0 {
		fmt.Fprintf(w, "  client CPU %.1fµs a request (loadgen's own)\n", r.ClientCPU)
	}
	if r.Missed > 0 {
		fmt.Fprintf(w, "  missed     %d sends (workers all busy: the target rate was not reached)\n", r.Missed)
	}
	if len(r.Errors) == 0 {
		fmt.Fprintln(w, "  errors     none")
		return
	}
	keys := make([]string, 0, len(r.Errors))
	for k := range r.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  errors     %s: %d\n", k, r.Errors[k])
	}
	if r.FirstError != "" {
		fmt.Fprintf(w, "  first      %s\n", r.FirstError)
	}
}

// statusKey names an HTTP status in Result.Errors.
func statusKey(code int) string { return strconv.Itoa(code) }
