package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/review"
)

// Config says what to drive, how hard and for how long.
type Config struct {
	URL         string        // the server's base URL, e.g. http://127.0.0.1:8080
	Concurrency int           // workers, each with one request in flight
	Rate        float64       // target requests per second; 0 = as fast as the workers go
	Duration    time.Duration // how long to send; 0 with Requests > 0 = until they are sent
	// Get, when set, is a path and query to GET (e.g. /api/v1/stats?unit=310101)
	// instead of posting reviews.
	Get      string
	Requests int    // stop after this many requests; 0 = Duration bounds the run
	Seed     uint64 // same seed, same payloads
	// Index is the catalogue the payloads come from; the demo catalogue
	// under the default dimension set when nil.
	Index  *Index
	Client *http.Client
	// Acked, when set, receives a line "id<TAB>work order" for every review
	// the server acknowledged with 201 (the work order empty when none), as
	// each answer arrives: what a crash must not lose.
	Acked io.Writer
	// Sources, when above 0, sends each request from one of that many
	// loopback addresses (127.0.0.2 onwards, SourceAddress), in turn: as
	// many networks. 0 leaves the address to the system (127.0.0.1).
	Sources int
	// Devices, when above 0, gives the requests that many browser
	// identities in turn (device i from source i modulo Sources), each
	// sending at most once in DeviceGap: honest citizens. 0 is one
	// identity, as fast as the workers go: a flood.
	Devices   int
	DeviceGap time.Duration
	// Rotate, without Devices, gives every request a browser identity of
	// its own, unpaced: a flood that no device key counts twice (with
	// Sources, no network key either past Sources requests).
	Rotate bool
	// Now, when set, is the time the run starts at as the server's clock
	// reads it (a server run with HAOCHA_BENCH_NOW), stated in the result.
	// Zero: the wall clock.
	Now time.Time
}

// CheckLoopback refuses a URL whose host is not a loopback address.
func CheckLoopback(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("url %q: want http:// or https://", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return u, nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return u, nil
	}
	return nil, fmt.Errorf("url %q: loadgen drives loopback addresses only (127.0.0.1, ::1, localhost)", raw)
}

// Run drives the server as cfg says and returns what it measured.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	base, err := CheckLoopback(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Concurrency < 1 {
		return nil, fmt.Errorf("concurrency must be at least 1, got %d", cfg.Concurrency)
	}
	if cfg.Duration <= 0 && cfg.Requests <= 0 {
		return nil, errors.New("give a duration or a number of requests")
	}
	if cfg.Rate < 0 {
		return nil, fmt.Errorf("rate must not be negative, got %g", cfg.Rate)
	}
	if cfg.Devices > 0 && cfg.DeviceGap <= 0 {
		cfg.DeviceGap = DefaultDeviceGap
	}
	ids, err := newIdentities(cfg, cfg.Concurrency)
	if err != nil {
		return nil, err
	}
	res := &Result{Concurrency: cfg.Concurrency, Rate: cfg.Rate, Sources: cfg.Sources, Devices: cfg.Devices, Rotate: cfg.Rotate}
	if cfg.Devices > 0 {
		res.DeviceGap = cfg.DeviceGap.String()
	}
	if !cfg.Now.IsZero() {
		res.Clock = cfg.Now.Format(time.RFC3339)
	}
	var work func(ctx context.Context, worker int) string
	if cfg.Get != "" {
		if !strings.HasPrefix(cfg.Get, "/") {
			return nil, fmt.Errorf("get %q: want a path starting with /", cfg.Get)
		}
		target := strings.TrimSuffix(base.String(), "/") + cfg.Get
		res.Mode, res.Target = "get", cfg.Get
		clients := ids.httpClients(cfg.Client, cfg.Concurrency)
		defer closeIdle(clients, cfg.Client)
		work = func(ctx context.Context, w int) string {
			return send(ctx, ids, clients, w, http.MethodGet, target, nil, http.StatusOK, nil)
		}
	} else {
		x := cfg.Index
		if x == nil {
			x = NewIndex(demo.Catalog(), review.DefaultDimensions)
		}
		gens := generators(x, cfg.Seed, cfg.Concurrency)
		target := strings.TrimSuffix(base.String(), "/") + "/api/v1/reviews"
		res.Mode, res.Target = "post", "/api/v1/reviews"
		keep := ackWriter(cfg.Acked)
		if base.Scheme == "http" && cfg.Client == nil {
			p, err := newPoster(ctx, target, cfg.Sources, cfg.Concurrency)
			if err != nil {
				return nil, err
			}
			defer p.close()
			xs := make([]exchange, cfg.Concurrency)
			work = func(ctx context.Context, w int) string {
				x := &xs[w]
				sub := gens[w].Next()
				x.sub = appendSubmission(x.sub[:0], &sub)
				p.request(x, func(b []byte) []byte { b, _ = ids.agent(b, w); return b }, x.sub)
				return p.post(ctx, x, ids.source(w), http.StatusCreated, keep)
			}
		} else {
			// TLS, or a client of the caller's: through net/http.
			clients := ids.httpClients(cfg.Client, cfg.Concurrency)
			defer closeIdle(clients, cfg.Client)
			work = func(ctx context.Context, w int) string {
				body, err := json.Marshal(gens[w].Next())
				if err != nil {
					return "marshal"
				}
				return send(ctx, ids, clients, w, http.MethodPost, target, body, http.StatusCreated, keep)
			}
		}
	}
	cpu0, measured := processCPU()
	t := drive(ctx, plan{concurrency: cfg.Concurrency, rate: cfg.Rate, duration: cfg.Duration, max: cfg.Requests,
		ready: ids.ready}, work)
	res.fill(t)
	if cpu1, ok := processCPU(); measured && ok {
		res.ClientCPU = math.Round(float64(cpu1-cpu0)/float64(time.Microsecond)/float64(max(res.Requests, 1))*10) / 10
	}
	return res, ctx.Err()
}

// closeIdle closes the idle connections of the clients loadgen made (not
// given, the caller's).
func closeIdle(clients []*http.Client, given *http.Client) {
	for _, c := range clients {
		if c != given {
			c.CloseIdleConnections()
		}
	}
}

func (r *Result) fill(t tally) {
	r.summarize(t.lat, t.elapsed)
	r.Errors, r.Missed = t.errs, t.missed
	r.Requests = r.OK
	for _, n := range t.errs {
		r.Requests += n
	}
}

// ackWriter returns what send calls with each 201 answer to note it in w,
// one line at a time from any worker; nil when w is nil.
func ackWriter(w io.Writer) func([]byte) string {
	if w == nil {
		return nil
	}
	var mu sync.Mutex
	return func(answer []byte) string {
		var created struct {
			ID        string `json:"id"`
			WorkOrder string `json:"work_order"`
		}
		if err := json.Unmarshal(answer, &created); err != nil || created.ID == "" {
			return "answer"
		}
		mu.Lock()
		defer mu.Unlock()
		if _, err := fmt.Fprintf(w, "%s\t%s\n", created.ID, created.WorkOrder); err != nil {
			return "acked"
		}
		return ""
	}
}

// send makes one request and returns "" when the answer has status want,
// else the status or the kind of transport failure. keep, when not nil, is
// given the body of an answer with status want, and its complaint counts as
// the request's error.
func send(ctx context.Context, ids *identities, clients []*http.Client, w int, method, target string, body []byte, want int, keep func([]byte) string) string {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return "request"
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := ids.request(w, req, clients).Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return "timeout"
		}
		return "transport"
	}
	// Read the whole answer: the time to the last byte is the latency, and
	// the connection goes back to the pool.
	var answer bytes.Buffer
	sink := io.Discard
	if keep != nil && resp.StatusCode == want {
		sink = &answer
	}
	_, err = io.Copy(sink, resp.Body)
	resp.Body.Close()
	if err != nil {
		return "transport"
	}
	if resp.StatusCode != want {
		return statusKey(resp.StatusCode)
	}
	if keep != nil {
		return keep(answer.Bytes())
	}
	return ""
}

// generators makes one payload generator per worker, with transaction
// numbers unique to the run (named by run, or by the time when empty).
func generators(x *Index, seed uint64, workers int) []*Generator {
	gens := make([]*Generator, workers)
	for w := range gens {
		gens[w] = NewGenerator(x, seed+uint64(w))
	}
	return gens
}
