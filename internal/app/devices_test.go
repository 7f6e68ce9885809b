package app_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestShutdownEndsDeviceStreams: a rating device's events stream never
// goes idle, so shutdown ends it rather than wait out the drain and cut
// the connection.
func TestShutdownEndsDeviceStreams(t *testing.T) {
	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, err := app.Open(ctx, app.Config{DB: storetest.SQLiteDSN(t), NoDemo: true, Drain: time.Minute,
		Log: slog.New(slog.NewTextHandler(&logs, nil)), Loop: app.LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Store.ImportCatalog(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	p, err := m.Devices.Begin(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Devices.Pair(ctx, &account.Actor{ID: 1, Role: account.Admin}, p.Code, "H1-W1-1"); err != nil {
		t.Fatal(err)
	}
	token, _, err := m.Devices.Claim(ctx, p.Claim)
	if err != nil {
		t.Fatal(err)
	}
	if m.Listener, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
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
	req, _ := http.NewRequest("GET", "http://"+m.Listener.Addr().String()+"/device/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	first, err := rd.ReadString('\n')
	if err != nil || resp.StatusCode != http.StatusOK || first != "event: screen\n" {
		t.Fatalf("events: %d %q %v", resp.StatusCode, first, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := io.ReadAll(rd); err != nil {
		t.Errorf("the stream was cut, not ended: %v", err)
	}
	if strings.Contains(logs.String(), "requests still running at the drain deadline") {
		t.Errorf("shutdown waited out the drain for the device's stream:\n%s", logs.String())
	}
}
