package scheduler_test

import (
	"context"
	"crypto/ed25519"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/national"
	"github.com/haocha/haocha/internal/notify"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// endpoint is a national platform that fails its first fails posts, then
// keeps what it is sent.
type endpoint struct {
	mu       sync.Mutex
	fails    int
	posts    int
	received map[string][]byte
	auth     string
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.posts++
	if e.posts <= e.fails {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	e.auth, e.received = r.Header.Get("Authorization"), map[string][]byte{}
	for name, fhs := range r.MultipartForm.File {
		f, _ := fhs[0].Open()
		e.received[name], _ = io.ReadAll(f)
		f.Close()
	}
	w.WriteHeader(http.StatusAccepted)
}

// TestNationalPushRetriesAndSurvivesRestart: after 20 July ends the
// scheduler pushes the day to an endpoint that fails twice; it waits out
// the backoff between attempts, a new process (a restart) delivers the
// push the first left unacknowledged, the files verify under the key
// derived from the master key and carry no personal data, the delivery is
// recorded and audited once, and nothing is sent again; after three days
// down, each day since is sent once.
func TestNationalPushRetriesAndSurvivesRestart(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.OpenFixture(t, dsn(t))
			storetest.PlantDay(t, st, time.Date(2026, 7, 20, 10, 0, 0, 0, calendar.Zone))
			ep := &endpoint{fails: 2}
			srv := httptest.NewServer(ep)
			defer srv.Close()
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			obs := &observer{}
			start := func() *scheduler.Scheduler {
				s := scheduler.New(st, log, notify.Log{Log: log}, workorder.DefaultRules)
				s.National = &national.Endpoint{URL: srv.URL, Token: "secret-token"}
				s.Metrics = obs
				return s
			}
			t0 := time.Date(2026, 7, 21, 0, 5, 0, 0, calendar.Zone)
			tick := func(s *scheduler.Scheduler, at time.Duration) int {
				t.Helper()
				st.Now = func() time.Time { return t0.Add(at) }
				rep, err := s.Tick(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return rep.National
			}
			one := start()
			for _, step := range []struct {
				at          time.Duration
				posts, sent int
			}{
				{0, 1, 0},                // fails: next in 30 s
				{10 * time.Second, 1, 0}, // waits
				{40 * time.Second, 2, 0}, // fails: next in a minute
			} {
				if sent := tick(one, step.at); sent != step.sent || ep.posts != step.posts {
					t.Fatalf("at +%s: %d delivered, %d posts; want %d, %d", step.at, sent, ep.posts, step.sent, step.posts)
				}
			}
			p, err := st.NationalPush(ctx, "2026-07-20")
			if err != nil {
				t.Fatal(err)
			}
			if p.Attempts != 2 || !p.PushedAt.IsZero() || !strings.Contains(p.LastError, "503") {
				t.Fatalf("after two failures: %+v", p)
			}
			// The operator's alerts see the failures; a tick whose push
			// failed still finished its work.
			if failing, err := st.NationalPushesFailing(ctx); failing != 1 || err != nil || obs.failures != 2 || obs.ticks != 3 {
				t.Errorf("after two failures: %d days failing (err %v), %d failures and %d ticks observed; want 1, 2, 3", failing, err, obs.failures, obs.ticks)
			}
			// A restart: the first process is gone, its lease runs out.
			two := start()
			if sent := tick(two, 5*time.Minute); sent != 1 || ep.posts != 3 {
				t.Fatalf("after the restart: %d delivered, %d posts", sent, ep.posts)
			}
			if sent := tick(two, 6*time.Minute); sent != 0 || ep.posts != 3 {
				t.Fatalf("sent again: %d delivered, %d posts", sent, ep.posts)
			}
			if ep.auth != "Bearer secret-token" {
				t.Errorf("Authorization %q", ep.auth)
			}
			dir := t.TempDir()
			for name, b := range ep.received {
				for _, secret := range []string{storetest.PlantedPhone, "13800001111", storetest.PlantedName, storetest.PlantedComment} {
					if strings.Contains(string(b), secret) {
						t.Errorf("%s carries %q", name, secret)
					}
				}
				os.WriteFile(filepath.Join(dir, name), b, 0o644)
			}
			pub := national.SigningKey(st.Keys).Public().(ed25519.PublicKey)
			m, err := national.Verify(filepath.Join(dir, national.ManifestName("2026-07-20")), pub)
			if err != nil {
				t.Fatal(err)
			}
			records := map[string]int{}
			for _, f := range m.Files {
				records[f.Name] = f.Records
			}
			if records["national-2026-07-20-transactions.csv"] != 2 || records["national-2026-07-20-reviews.jsonl"] != 3 {
				t.Errorf("manifest files %+v", m.Files)
			}
			p, err = st.NationalPush(ctx, "2026-07-20")
			if err != nil {
				t.Fatal(err)
			}
			if p.PushedAt.IsZero() || p.Attempts != 3 || p.ManifestSHA256 == "" {
				t.Errorf("after delivery: %+v", p)
			}
			if failing, err := st.NationalPushesFailing(ctx); failing != 0 || err != nil {
				t.Errorf("after delivery: %d days failing (err %v), want 0", failing, err)
			}
			trail, err := st.AuditByAction(ctx, "national_pushed")
			if err != nil {
				t.Fatal(err)
			}
			if len(trail) != 1 || !strings.Contains(trail[0].Note, p.ManifestSHA256) {
				t.Errorf("audit trail %+v", trail)
			}
			// Three days on (the servers were down): each day since is sent once.
			if sent := tick(two, 3*24*time.Hour); sent != 3 || ep.posts != 6 {
				t.Errorf("catching up three days: %d delivered, %d posts", sent, ep.posts)
			}
			if sent := tick(two, 3*24*time.Hour+time.Minute); sent != 0 || ep.posts != 6 {
				t.Errorf("after catching up: %d delivered, %d posts", sent, ep.posts)
			}
		})
	}
}

// observer records what the scheduler tells monitoring.
type observer struct{ ticks, failures int }

func (o *observer) SchedulerTicked(time.Time) { o.ticks++ }
func (o *observer) NationalPushFailed()       { o.failures++ }
