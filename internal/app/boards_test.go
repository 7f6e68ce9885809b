package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store"
)

// TestRunIsReadyOnceTheBoardsAreWarm: after the database loads, the
// server serves requests but its readiness check answers 503 "warming"
// until the boards the pages draw are computed, then 200.
func TestRunIsReadyOnceTheBoardsAreWarm(t *testing.T) {
	hold := &pauseOn{Handler: slog.NewTextHandler(io.Discard, nil), msg: "boards warm",
		reached: make(chan struct{}), release: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, app.Config{Addr: "127.0.0.1:0", DB: filepath.Join(t.TempDir(), "haocha.db"),
			Demo: demo.Options{Reviews: 200, Seed: 1, Days: 20}, Log: slog.New(hold), Loop: app.LoopConfig{NoScheduler: true}})
	}()
	<-hold.reached // every board is computed; the server is not told yet
	base := strings.TrimSuffix(hold.url, "/")
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		var body struct{ Status string }
		json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body.Status
	}
	if code, status := get("/healthz"); code != http.StatusServiceUnavailable || status != "warming" {
		t.Errorf("/healthz while warming: %d %q, want 503 warming", code, status)
	}
	if code, _ := get("/api/v1/units"); code != http.StatusOK {
		t.Errorf("/api/v1/units while warming: %d, want it served", code)
	}
	close(hold.release)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if code, _ := get("/healthz"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/healthz not ready a minute after the boards were warm")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run ended with %v", err)
	}
}

// TestWarmBoardsServeTheFirstVisitor: once the boards are warm, the first
// visit of the public pages and of GET /api/v1/index of every public scope
// computes no board: each is served from the cache.
func TestWarmBoardsServeTheFirstVisitor(t *testing.T) {
	ctx := context.Background()
	m, err := app.Open(ctx, app.Config{DB: filepath.Join(t.TempDir(), "haocha.db"), Demo: demo.Options{Reviews: 600, Seed: 5, Days: 40},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Loop: app.LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Boards.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	units, err := m.Store.Units(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	items, err := m.Store.Items(ctx, store.ItemFilter{})
	if err != nil || len(items) == 0 {
		t.Fatalf("no items: %v", err)
	}
	halls, err := m.Store.Halls(ctx, "")
	if err != nil || len(halls) == 0 {
		t.Fatalf("no halls: %v", err)
	}
	paths := []string{"/index", "/units/" + units[0].Code, "/units/" + units[len(units)-1].Code,
		"/items/" + items[0].Code, "/halls/" + halls[0].Code}
	for _, sc := range index.Scopes {
		if sc.Public() {
			paths = append(paths, "/api/v1/index?scope="+string(sc))
		}
	}
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	for _, path := range paths {
		before := m.Boards.Computations()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		if n := m.Boards.Computations() - before; n != 0 {
			t.Errorf("GET %s computed %d boards after the warm-up, want none", path, n)
		}
	}
}

// TestRestartServesTheLastRunsBoards: a server started again on the same
// database serves, from its first request, the boards its last run
// computed, with the instant each counted as of (computed_at), while it
// computes them again.
func TestRestartServesTheLastRunsBoards(t *testing.T) {
	ctx := context.Background()
	cfg := app.Config{DB: filepath.Join(t.TempDir(), "haocha.db"), Demo: demo.Options{Reviews: 400, Seed: 3, Days: 40},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Loop: app.LoopConfig{NoScheduler: true}}
	computedAt := func(m *app.Main) string {
		t.Helper()
		srv := httptest.NewServer(m.Handler())
		defer srv.Close()
		resp, err := http.Get(srv.URL + "/api/v1/index?scope=district")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b struct {
			ComputedAt string `json:"computed_at"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&b); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/v1/index: %d %v", resp.StatusCode, err)
		}
		return b.ComputedAt
	}
	first, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Boards.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	was := computedAt(first)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	time.Sleep(5 * time.Millisecond) // a new board would count as of a later instant
	next, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	n, err := next.Boards.Restore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no board of the last run restored")
	}
	if got := computedAt(next); got != was {
		t.Errorf("the first visitor after the restart got a board computed at %s, want the last run's %s", got, was)
	}
}
