package loadgen_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/store"
)

// newServer starts Haocha on a SQLite file with the demo catalogue and a
// hundred demo reviews.
func newServer(t testing.TB) (*app.Main, *httptest.Server) {
	t.Helper()
	m, err := app.Open(context.Background(), app.Config{
		DB:   filepath.Join(t.TempDir(), "haocha.db"),
		Demo: demo.Options{Reviews: 100},
		Log:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	return m, srv
}

func reviews(t testing.TB, m *app.Main) int {
	t.Helper()
	var n int
	if err := m.Store.DB().QueryRow("SELECT COUNT(*) FROM reviews").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRunAgainstServer(t *testing.T) {
	ctx := context.Background()
	m, srv := newServer(t)

	t.Run("post a fixed number", func(t *testing.T) {
		before := reviews(t, m)
		res, err := loadgen.Run(ctx, loadgen.Config{URL: srv.URL, Concurrency: 4, Requests: 60, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests != 60 || res.OK != 60 || len(res.Errors) != 0 {
			t.Fatalf("60 reviews posted: %d requests, %d created, errors %v", res.Requests, res.OK, res.Errors)
		}
		if got := reviews(t, m); got != before+60 {
			t.Errorf("%d reviews stored, want %d", got, before+60)
		}
		if !(res.P50 > 0 && res.P50 <= res.P95 && res.P95 <= res.P99 && res.P99 <= res.Max) || res.Throughput <= 0 {
			t.Errorf("figures out of order: %+v", res)
		}
	})

	t.Run("a second run is not refused as repeats", func(t *testing.T) {
		res, err := loadgen.Run(ctx, loadgen.Config{URL: srv.URL, Concurrency: 4, Requests: 60, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.OK != 60 {
			t.Errorf("second run with the same seed: %d created, errors %v", res.OK, res.Errors)
		}
	})

	t.Run("acknowledged reviews are listed", func(t *testing.T) {
		var acked bytes.Buffer
		res, err := loadgen.Run(ctx, loadgen.Config{URL: srv.URL, Concurrency: 4, Requests: 200, Seed: 5, Acked: &acked})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(acked.String(), "\n"), "\n")
		if len(lines) != res.OK || res.OK == 0 {
			t.Fatalf("%d reviews created, %d listed", res.OK, len(lines))
		}
		orders := 0
		for _, line := range lines {
			id, number, ok := strings.Cut(line, "\t")
			var stored string
			err := m.Store.DB().QueryRow("SELECT COALESCE((SELECT number FROM work_orders WHERE review = r.id), '') FROM reviews r WHERE r.id = ?", id).Scan(&stored)
			if !ok || err != nil || stored != number {
				t.Fatalf("listed %q: stored work order %q, %v", line, stored, err)
			}
			if number != "" {
				orders++
			}
		}
		if orders == 0 {
			t.Error("no work order listed among 200 reviews")
		}
	})

	t.Run("target rate for a time", func(t *testing.T) {
		res, err := loadgen.Run(ctx, loadgen.Config{URL: srv.URL, Concurrency: 4, Rate: 100, Duration: 500 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		// 100/s for half a second is 50 sends; allow for a slow machine.
		if res.Requests+res.Missed < 40 || res.Requests+res.Missed > 52 || len(res.Errors) != 0 {
			t.Errorf("100/s for 0.5s: %d requests, %d missed, errors %v", res.Requests, res.Missed, res.Errors)
		}
	})

	t.Run("get stats", func(t *testing.T) {
		for _, path := range []string{"/api/v1/stats", "/api/v1/stats?unit=310101", "/api/v1/stats?item=SHGA-001"} {
			res, err := loadgen.Run(ctx, loadgen.Config{URL: srv.URL, Concurrency: 2, Get: path, Requests: 20})
			if err != nil {
				t.Fatal(err)
			}
			if res.OK != 20 || len(res.Errors) != 0 {
				t.Errorf("GET %s: %d ok, errors %v", path, res.OK, res.Errors)
			}
		}
	})

	t.Run("errors are counted by status", func(t *testing.T) {
		res, err := loadgen.Run(ctx, loadgen.Config{URL: srv.URL, Concurrency: 1, Get: "/api/v1/stats?unit=NOPE", Requests: 5})
		if err != nil {
			t.Fatal(err)
		}
		if res.OK != 0 || res.Errors["422"] != 5 {
			t.Errorf("unknown unit: %d ok, errors %v, want five 422s", res.OK, res.Errors)
		}
	})
}

func TestRunRefusesRemoteHosts(t *testing.T) {
	_, err := loadgen.Run(context.Background(), loadgen.Config{URL: "http://192.0.2.1:8080", Concurrency: 1, Requests: 1})
	if err == nil {
		t.Fatal("loadgen accepted a non-loopback URL")
	}
}

func TestRunRaw(t *testing.T) {
	db := filepath.Join(t.TempDir(), "raw.db")
	res, err := loadgen.RunRaw(context.Background(), loadgen.RawConfig{DB: db, Concurrency: 4, Requests: 40})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 40 || len(res.Errors) != 0 {
		t.Fatalf("40 raw inserts: %d ok, errors %v (%s)", res.OK, res.Errors, res.FirstError)
	}
}

// A batch run stores batch rows per INSERT and counts rows, not INSERTs.
func TestRunRawBatch(t *testing.T) {
	db := filepath.Join(t.TempDir(), "raw.db")
	res, err := loadgen.RunRaw(context.Background(), loadgen.RawConfig{DB: db, Concurrency: 2, Requests: 6, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 6 || res.Batch != 16 || len(res.Errors) != 0 {
		t.Fatalf("6 INSERTs of 16: %d ok, batch %d, errors %v (%s)", res.OK, res.Batch, res.Errors, res.FirstError)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	if err := st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE client_mark = 'benchraw'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 96 {
		t.Errorf("stored %d rows, want 96", n)
	}
	if want := float64(96) / res.Seconds; res.Throughput < want*0.9 {
		t.Errorf("throughput %.1f rows/s, want about %.1f (rows, not INSERTs)", res.Throughput, want)
	}
}
