package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/theme"
)

// pauseOn is a log handler that holds the logging goroutine at the first
// record with the message msg until release is closed: a way to stop the
// server at a known point of its start. It keeps the url the server
// announces.
type pauseOn struct {
	slog.Handler
	msg              string
	reached, release chan struct{}
	url              string
}

func (p *pauseOn) Handle(ctx context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "url" && p.url == "" {
			p.url = a.Value.String()
		}
		return true
	})
	if r.Message == p.msg {
		close(p.reached)
		<-p.release
	}
	return p.Handler.Handle(ctx, r)
}

// TestRunAnswersStartingWhileLoading: while the demo loads, the bound port
// answers 503 with Retry-After (a load balancer keeps the process out of
// rotation; a client knows to retry), then serves once loaded.
func TestRunAnswersStartingWhileLoading(t *testing.T) {
	hold := &pauseOn{Handler: slog.NewTextHandler(io.Discard, nil), msg: "empty database: loading demo data",
		reached: make(chan struct{}), release: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, app.Config{Addr: "127.0.0.1:0", DB: filepath.Join(t.TempDir(), "haocha.db"),
			Demo: demo.Options{Reviews: 50, Seed: 1, Days: 2}, Log: slog.New(hold)})
	}()
	<-hold.reached
	base := strings.TrimSuffix(hold.url, "/")
	for _, path := range []string{"/healthz", "/api/v1/stats", "/"} {
		resp, err := http.Get(base + path)
		if err != nil {
			close(hold.release)
			t.Fatalf("GET %s while loading: %v", path, err)
		}
		var body struct{ Status string }
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || body.Status != "starting" {
			t.Errorf("GET %s while loading: %d, Retry-After %q, status %q; want 503 starting with Retry-After",
				path, resp.StatusCode, resp.Header.Get("Retry-After"), body.Status)
		}
	}
	close(hold.release)
	// A guard, not a timing: readiness waits for the boards' warm-up and
	// the themes' models (TestTrainedBeforeReady), which a shared machine
	// at load 30-45 stretched past two minutes when the models trained at
	// every start.
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz still %d after the load", resp.StatusCode)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run ended with %v", err)
	}
}

// recorder is a log handler that keeps the messages logged.
type recorder struct {
	slog.Handler
	mu   sync.Mutex
	msgs []string
	url  string
}

func (r *recorder) Handle(ctx context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, rec.Message)
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "url" && r.url == "" {
			r.url = a.Value.String()
		}
		return true
	})
	return nil
}

func (r *recorder) logged(msg string) (bool, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.msgs, msg), r.url
}

// TestTrainedBeforeReady: the complaint themes' models are trained before
// the readiness check says ready, not by the first bad review under load,
// where their training's heap came on top of the load's (the peak resident
// set of the benchmark's intake).
func TestTrainedBeforeReady(t *testing.T) {
	rec := &recorder{Handler: slog.NewTextHandler(io.Discard, nil)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, app.Config{Addr: "127.0.0.1:0", DB: filepath.Join(t.TempDir(), "haocha.db"),
			Demo: demo.Options{Reviews: 50, Seed: 1, Days: 2}, Log: slog.New(rec)})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run ended with %v", err)
		}
	}()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("not ready after two minutes")
		}
		_, url := rec.logged("")
		if url == "" {
			continue
		}
		resp, err := http.Get(strings.TrimSuffix(url, "/") + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			continue
		}
		// Ready: the log says the models were trained before it.
		if trained, _ := rec.logged("complaint themes trained"); !trained || !theme.Default().Trained() {
			t.Errorf("ready before the complaint themes were trained (logged %v, trained %v)", trained, theme.Default().Trained())
		}
		return
	}
}
