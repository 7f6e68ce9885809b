package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/clocktest"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestRestartAfterTheTTLKeepsNoVisitorWaiting (issue 17, "No first
// visitor waits"): a server started again on the same database, its
// stored boards older than their TTL and its warm-up slow (three minutes
// pass before any board is computed again), answers the first request of
// GET /api/v1/index, /index and of a unit page from the stored boards
// (the first with the stored computed_at), computing none while the
// visitor waits; the computations those requests start in the
// background then replace them, and the fresh boards are served; past
// their own TTL, with nothing refreshing them, they are served stale, again
// without a wait. On both backends.
func TestRestartAfterTheTTLKeepsNoVisitorWaiting(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			clock := clocktest.New(time.Date(2026, 12, 9, 10, 0, 0, 0, calendar.Zone))
			cfg := app.Config{DB: dsn(t), Demo: demo.Options{Reviews: 400, Seed: 3, Days: 40, Now: clock.Now()},
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Loop: app.LoopConfig{NoScheduler: true}}

			first, err := app.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			first.Store.Now = clock.Now
			if err := first.Boards.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			units, err := first.Store.Units(ctx, "")
			if err != nil || len(units) == 0 {
				t.Fatalf("no units: %v", err)
			}
			unit := "/units/" + units[0].Code
			stored := computedAt(t, first, "district")
			if err := first.Close(); err != nil {
				t.Fatal(err)
			}

			clock.Add(5 * time.Minute) // down five minutes: every stored board is past its TTL
			next, err := app.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer next.Close()
			next.Store.Now = clock.Now
			if n, err := next.Boards.Restore(ctx); err != nil || n == 0 {
				t.Fatalf("restored %d boards (%v)", n, err)
			}
			clock.Add(3 * time.Minute) // a slow warm-up: nothing computed yet
			srv := httptest.NewServer(next.Handler())
			defer srv.Close()
			if got := visitWithoutWaiting(t, next, srv.URL, unit, "after the restart"); got != stored {
				t.Errorf("the first visitor got the district board computed at %s, want the stored one's %s", got, stored)
			}

			// The computations they started, in the background, replace
			// the stored boards: the clock has not moved since.
			fresh := clock.Now().Format(time.RFC3339)
			for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
				got, err := time.Parse(time.RFC3339Nano, computedAt(t, next, "district"))
				if err != nil {
					t.Fatal(err)
				}
				if got.Format(time.RFC3339) == fresh {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("a minute after the first visit the district board still counts as of %s, want %s", got, fresh)
				}
			}
			// Those fresh boards expire in turn with nothing to refresh them
			// (no KeepWarm here): still served at once, stale, not computed
			// again first.
			clock.Add(2 * time.Minute)
			got := visitWithoutWaiting(t, next, srv.URL, unit, "once computed again and expired")
			if at, _ := time.Parse(time.RFC3339Nano, got); at.Format(time.RFC3339) != fresh {
				t.Errorf("past its TTL the district board counts as of %s, want the one computed at %s served stale", got, fresh)
			}
		})
	}
}

// visitWithoutWaiting asks m for the district board, then base's /index
// and unit page, and fails unless every answer is 200 and none waited for
// a board to be computed; it returns the district board's computed_at.
func visitWithoutWaiting(t *testing.T, m *app.Main, base, unit, when string) string {
	t.Helper()
	waits := m.Boards.Waits()
	at := computedAt(t, m, "district")
	for _, path := range []string{"/index", unit} {
		if code := status(t, base+path); code != http.StatusOK {
			t.Errorf("GET %s %s: %d", path, when, code)
		}
	}
	if n := m.Boards.Waits() - waits; n != 0 {
		t.Errorf("the visitors %s waited for %d computations, want none", when, n)
	}
	return at
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// computedAt is the computed_at of the board GET /api/v1/index answers
// for scope.
func computedAt(t *testing.T, m *app.Main, scope string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/index?scope="+scope, nil))
	var b struct {
		ComputedAt string `json:"computed_at"`
	}
	if err := json.NewDecoder(rec.Body).Decode(&b); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/index?scope=%s: %d %v", scope, rec.Code, err)
	}
	return b.ComputedAt
}
