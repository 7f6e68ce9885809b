package loadgen_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
)

// arrival is one request as it came over the wire.
type arrival struct {
	raw  []byte // request line, headers and body, byte for byte
	from string // the client's address
	conn int    // the connection it came on, in the order they were accepted
}

// recorder is an HTTP/1.1 server of its own that keeps every request's
// bytes and answers 201 with an id, alternately with a Content-Length and
// chunked. After serve answers on one connection (0: no end; -1: none) it
// closes it, as a
// server closes idle connections; with drop it then waits for the next
// request and closes the connection without reading it (the client's
// request crossed the close).
type recorder struct {
	ln    net.Listener
	serve int
	drop  bool

	mu       sync.Mutex
	arrivals []arrival
	conns    int
	dropped  int
}

func newRecorder(t *testing.T, serve int, drop bool) *recorder {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{ln: ln, serve: serve, drop: drop}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.mu.Lock()
			n := r.conns
			r.conns++
			r.mu.Unlock()
			go r.handle(c, n)
		}
	}()
	return r
}

func (r *recorder) url() string { return "http://" + r.ln.Addr().String() }

// tee keeps what is read through it.
type tee struct {
	c   net.Conn
	got bytes.Buffer
}

func (t *tee) Read(p []byte) (int, error) {
	n, err := t.c.Read(p)
	t.got.Write(p[:n])
	return n, err
}

func (r *recorder) handle(c net.Conn, conn int) {
	defer c.Close()
	in := &tee{c: c}
	br := bufio.NewReader(in)
	for served := 0; r.serve == 0 || served < r.serve; served++ {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return
		}
		raw := bytes.Clone(in.got.Bytes()[:in.got.Len()-br.Buffered()])
		in.got.Reset()
		r.mu.Lock()
		id := len(r.arrivals)
		r.arrivals = append(r.arrivals, arrival{raw: raw, from: c.RemoteAddr().String(), conn: conn})
		r.mu.Unlock()
		answer := fmt.Sprintf(`{"id":"r%d","work_order":""}`, id)
		if id%2 == 0 {
			fmt.Fprintf(c, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(answer), answer)
		} else {
			fmt.Fprintf(c, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(answer), answer)
		}
	}
	if r.drop {
		if _, err := br.Peek(1); err == nil {
			r.mu.Lock()
			r.dropped++
			r.mu.Unlock()
		}
	}
}

func (r *recorder) taken() []arrival {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]arrival(nil), r.arrivals...)
}

// loadgen posts what net/http would post, byte for byte: the request line,
// the headers (a device's browser, the Content-Type, the Host, net/http's
// own) and the body; each request from its source address, on one
// keep-alive connection a source.
func TestPostsAsNetHTTP(t *testing.T) {
	const seed, n = 7, 12
	for _, c := range []struct {
		name  string
		cfg   loadgen.Config
		agent func(i int) string // "": net/http's own
		from  func(i int) string
		conns int
	}{
		{"honest", loadgen.Config{Sources: 3, Devices: 5, DeviceGap: time.Millisecond},
			func(i int) string { return fmt.Sprintf("Mozilla/5.0 (haocha-bench device %d-%d)", seed, i%5) },
			func(i int) string { return fmt.Sprintf("127.0.0.%d", 2+i%5%3) }, 3},
		{"flood", loadgen.Config{}, func(int) string { return "" }, func(int) string { return "127.0.0.1" }, 1},
		{"rotate", loadgen.Config{Sources: 2, Rotate: true},
			func(i int) string { return fmt.Sprintf("Mozilla/5.0 (haocha-bench rotating %d-%d)", seed, i) },
			func(i int) string { return fmt.Sprintf("127.0.0.%d", 2+i%2) }, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t, 0, false)
			var acked bytes.Buffer
			cfg := c.cfg
			cfg.URL, cfg.Concurrency, cfg.Requests, cfg.Seed, cfg.Acked = rec.url(), 1, n, seed, &acked
			res, err := loadgen.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK != n || len(res.Errors) != 0 {
				t.Fatalf("%d of %d created, errors %v", res.OK, n, res.Errors)
			}
			got := rec.taken()
			if len(got) != n {
				t.Fatalf("server saw %d requests, want %d", len(got), n)
			}
			conns := map[int]string{}
			for i, a := range got {
				host, _, _ := net.SplitHostPort(a.from)
				if host != c.from(i) {
					t.Errorf("request %d from %s, want %s", i, host, c.from(i))
				}
				if h, ok := conns[a.conn]; ok && h != host {
					t.Errorf("connection %d carried requests from %s and %s", a.conn, h, host)
				}
				conns[a.conn] = host
			}
			if len(conns) != c.conns {
				t.Errorf("%d connections, want %d: one kept alive a source", len(conns), c.conns)
			}
			var want strings.Builder
			for i := range n {
				want.WriteString(fmt.Sprintf("r%d\t\n", i))
			}
			if acked.String() != want.String() {
				t.Errorf("acked\n%s\nwant\n%s", acked.String(), want.String())
			}

			// The same requests through net/http, to the same server.
			gen := loadgen.NewGenerator(loadgen.NewIndex(demo.Catalog(), review.DefaultDimensions), seed)
			hc := &http.Client{Transport: &http.Transport{}}
			defer hc.CloseIdleConnections()
			for i := range n {
				body, err := json.Marshal(gen.Next())
				if err != nil {
					t.Fatal(err)
				}
				req, err := http.NewRequest(http.MethodPost, rec.url()+"/api/v1/reviews", bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				if ua := c.agent(i); ua != "" {
					req.Header.Set("User-Agent", ua)
				}
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			ref := rec.taken()[n:]
			for i := range n {
				if !bytes.Equal(got[i].raw, ref[i].raw) {
					t.Errorf("request %d:\n%q\nnet/http's:\n%q", i, got[i].raw, ref[i].raw)
				}
			}
		})
	}
}

// A server that closes a connection while it is idle costs a new
// connection, not an error: whether loadgen sees the close before it
// sends or only when its request crossed it (drop), it sends again on a
// connection of its own source.
func TestRedialsWhenServerClosedIdle(t *testing.T) {
	for _, drop := range []bool{false, true} {
		t.Run(fmt.Sprintf("drop=%v", drop), func(t *testing.T) {
			const n, serve = 12, 2
			rec := newRecorder(t, serve, drop)
			res, err := loadgen.Run(context.Background(), loadgen.Config{URL: rec.url(), Concurrency: 1, Requests: n,
				Sources: 2, Devices: 4, DeviceGap: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if res.OK != n || len(res.Errors) != 0 {
				t.Fatalf("%d of %d created, errors %v", res.OK, n, res.Errors)
			}
			per := map[int]int{}
			for i, a := range rec.taken() {
				host, _, _ := net.SplitHostPort(a.from)
				if want := fmt.Sprintf("127.0.0.%d", 2+i%2); host != want {
					t.Errorf("request %d from %s, want %s", i, host, want)
				}
				per[a.conn]++
			}
			if len(per) != n/serve {
				t.Errorf("%d connections served, want %d", len(per), n/serve)
			}
			for conn, k := range per {
				if k != serve {
					t.Errorf("connection %d served %d, want %d: each kept alive until the server closed it", conn, k, serve)
				}
			}
			rec.mu.Lock()
			dropped := rec.dropped
			rec.mu.Unlock()
			if drop && dropped == 0 {
				t.Error("no request crossed a close: the retry was not tested")
			}
		})
	}
}

// A new connection that fails is an error, not sent again.
func TestFreshConnectionFailureCounted(t *testing.T) {
	rec := newRecorder(t, -1, true) // closes every connection at its first request, unanswered
	res, err := loadgen.Run(context.Background(), loadgen.Config{URL: rec.url(), Concurrency: 1, Requests: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 0 || res.Errors["transport"] != 3 {
		t.Errorf("%d created, errors %v, want three transport errors", res.OK, res.Errors)
	}
}

// Idle connections are bounded, all sources together: past the bound the
// least recently used is closed, and its source dials again.
func TestIdleConnectionsBounded(t *testing.T) {
	for _, c := range []struct{ max, conns int }{{8192, 4}, {2, 8}} {
		restore := loadgen.SetMaxIdleConns(c.max)
		rec := newRecorder(t, 0, false)
		res, err := loadgen.Run(context.Background(), loadgen.Config{URL: rec.url(), Concurrency: 1, Requests: 8,
			Sources: 4, Devices: 4, DeviceGap: time.Millisecond})
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if res.OK != 8 || len(res.Errors) != 0 {
			t.Fatalf("%d of 8 created, errors %v", res.OK, res.Errors)
		}
		rec.mu.Lock()
		conns := rec.conns
		rec.mu.Unlock()
		if conns != c.conns {
			t.Errorf("at most %d idle: 8 requests from 4 sources on %d connections, want %d", c.max, conns, c.conns)
		}
	}
}

// A poster's connections carry no TCP keep-alive, from a source address
// or from the system's (newPoster).
func TestPosterLeavesKeepAliveOff(t *testing.T) {
	rec := newRecorder(t, 0, false)
	for _, sources := range []int{0, 1} {
		c, err := loadgen.Dial(context.Background(), rec.url(), sources, 0)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := c.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		on, serr := -1, error(nil)
		if err := raw.Control(func(fd uintptr) { on, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE) }); err != nil {
			t.Fatal(err)
		}
		c.Close()
		if serr != nil {
			t.Fatal(serr)
		}
		if on != 0 {
			t.Errorf("%d sources: SO_KEEPALIVE is %d, want 0", sources, on)
		}
	}
}
