package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/store/storetest"
)

// shutDownDuringDelivery serves the fresh database dsn with one
// notification pending, and stops the server while the scheduler is delivering it to a
// slow webhook, which first calls during. It returns the server's log,
// once Serve has returned and the store is closed.
func shutDownDuringDelivery(t *testing.T, dsn string, during func(m *app.Main)) string {
	t.Helper()
	var m *app.Main
	entered, release := make(chan struct{}), make(chan struct{})
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Haocha-Event") == "audit_checkpoint" {
			return // the hourly checkpoint goes to the webhook too
		}
		during(m)
		close(entered)
		<-release
		// A slow receiver: shutdown must wait for it, not close the store under it.
		time.Sleep(100 * time.Millisecond)
	}))
	defer hook.Close()

	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, err := app.Open(ctx, app.Config{Addr: "127.0.0.1:0", DB: dsn, NoDemo: true,
		Log: slog.New(slog.NewTextHandler(&logs, nil)), Loop: app.LoopConfig{WebhookURL: hook.URL}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Store.DB().ExecContext(ctx, `INSERT INTO notifications (event, work_order, payload, created_at, next_at)
		VALUES ('dispatched', 1, '{"event":"dispatched","work_order":"GD1"}', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		err := m.Serve(ctx)
		if cerr := m.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	<-entered
	cancel()
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	return logs.String()
}

// TestShutdownWaitsForScheduler stops the server while the scheduler is
// delivering a notification: the delivery finishes and is recorded as sent
// (the store is still open when it returns), and the scheduler's lease is
// given up, so another process may take over at once.
func TestShutdownWaitsForScheduler(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			db := dsn(t)
			shutDownDuringDelivery(t, db, func(*app.Main) {})
			st := storetest.Open(t, db)
			var sent bool
			var attempts int
			if err := st.DB().QueryRow(`SELECT sent_at IS NOT NULL, attempts FROM notifications`).Scan(&sent, &attempts); err != nil {
				t.Fatal(err)
			}
			if !sent || attempts != 1 {
				t.Errorf("notification delivered during shutdown: sent %v, attempts %d; want recorded as sent once", sent, attempts)
			}
			var leases int
			if err := st.DB().QueryRow(`SELECT COUNT(*) FROM leases`).Scan(&leases); err != nil {
				t.Fatal(err)
			}
			if leases != 0 {
				t.Errorf("%d scheduler lease rows after shutdown, want 0", leases)
			}
		})
	}
}

// TestShutdownLogsAFailedLeaseRelease: when the lease cannot be given up,
// the operator reads why in the log, and shutdown still completes.
func TestShutdownLogsAFailedLeaseRelease(t *testing.T) {
	logs := shutDownDuringDelivery(t, storetest.SQLiteDSN(t), func(m *app.Main) {
		if _, err := m.Store.DB().Exec(`DROP TABLE leases`); err != nil {
			t.Error(err)
		}
	})
	if !strings.Contains(logs, "release the scheduler lease") || !strings.Contains(logs, "leases") {
		t.Errorf("the failed lease release is not in the log:\n%s", logs)
	}
}
