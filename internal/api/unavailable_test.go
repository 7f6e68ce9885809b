package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/route"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/haocha/haocha/internal/store/storetest"
)

// A database that cannot be reached is a moment to retry, not a fault:
// intake answers 503 with Retry-After, and takes reviews again once the
// database is back.
func TestIntakeAnswers503WhileTheDatabaseIsUnreachable(t *testing.T) {
	t.Run("sqlite held by another writer", func(t *testing.T) {
		path := storetest.SQLiteDSN(t)
		st, h := newServerOn(t, path)
		// The store's one writing connection waits 50 ms for the lock, not
		// the served 10 s.
		if _, err := st.DB().Exec("PRAGMA busy_timeout = 50"); err != nil {
			t.Fatal(err)
		}
		other, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		tx, err := other.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		assertUnavailable(t, h)
		tx.Rollback()
		if rec := do(h, "POST", "/api/v1/reviews", valid); rec.Code != http.StatusCreated {
			t.Fatalf("after the lock is gone: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("postgres cut off", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		p := startProxy(t, u.Host)
		u.Host = p.addr
		st, h := newServerOn(t, u.String())
		if rec := do(h, "POST", "/api/v1/reviews", valid); rec.Code != http.StatusCreated {
			t.Fatalf("before the cut: %d %s", rec.Code, rec.Body)
		}
		p.setDown(true)
		assertUnavailable(t, h)
		p.setDown(false)
		// Each pooled connection the cut left dead fails one request, with
		// 503 too; then intake is back.
		for i := 0; ; i++ {
			rec := do(h, "POST", "/api/v1/reviews", valid)
			if rec.Code == http.StatusCreated {
				break
			}
			if rec.Code != http.StatusServiceUnavailable || i > 40 {
				t.Fatalf("after the database is back, try %d: %d %s", i, rec.Code, rec.Body)
			}
		}
		if n := rows(t, st, "reviews"); n != 2 {
			t.Fatalf("%d reviews stored, want the 2 acknowledged", n)
		}
	})
}

func assertUnavailable(t *testing.T, h http.Handler) {
	t.Helper()
	rec := do(h, "POST", "/api/v1/reviews", valid)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("got %d, Retry-After %q: %s; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["error"] == "" {
		t.Fatalf("body %q: want a JSON error", rec.Body)
	}
}

// proxy forwards TCP to the database; down, it cuts every connection and
// closes new ones at once, as a restarting server does.
type proxy struct {
	addr  string
	mu    sync.Mutex
	down  bool
	conns []net.Conn
}

func startProxy(t *testing.T, upstream string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{addr: ln.Addr().String()}
	t.Cleanup(func() { ln.Close(); p.setDown(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			down := p.down
			if !down {
				p.conns = append(p.conns, c)
			}
			p.mu.Unlock()
			if down {
				c.Close()
				continue
			}
			go p.forward(c, upstream)
		}
	}()
	return p
}

func (p *proxy) forward(c net.Conn, upstream string) {
	up, err := net.Dial("tcp", upstream)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, up)
	p.mu.Unlock()
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

func (p *proxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

// A client that hangs up is not a fault of ours: no ERROR line, no 500.
func TestHungUpClientIsNoError(t *testing.T) {
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	var logs bytes.Buffer
	mux := route.NewMux()
	(&api.API{Store: st, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Intake: &intake.Service{Store: st, Salt: []byte("test")}}).Register(mux)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("POST", "/api/v1/reviews", strings.NewReader(valid)).WithContext(ctx)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	if rec.Code == http.StatusInternalServerError || strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("status %d, log %q: want no 500 and no ERROR", rec.Code, logs.String())
	}
	if n := rows(t, st, "reviews"); n != 0 {
		t.Errorf("%d reviews stored for a client that hung up first", n)
	}
}
