package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/store"
)

// TestDemoWanted: the demo goes into the default embedded database unless
// refused, and into a database the operator named only when asked.
func TestDemoWanted(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    bool
		wantErr string
	}{
		{"default database", nil, nil, true, ""},
		{"default database, --no-demo", nil, []string{"--no-demo"}, false, ""},
		{"default database, HAOCHA_NO_DEMO", map[string]string{"HAOCHA_NO_DEMO": "true"}, nil, false, ""},
		{"--db named", nil, []string{"--db", "postgres://h@db/haocha"}, false, ""},
		{"--db haocha.db named", nil, []string{"--db", "haocha.db"}, false, ""},
		{"HAOCHA_DB named", map[string]string{"HAOCHA_DB": "/var/lib/haocha/haocha.db"}, nil, false, ""},
		{"--db named, --demo", nil, []string{"--db", "x.db", "--demo"}, true, ""},
		{"HAOCHA_DB named, --demo", map[string]string{"HAOCHA_DB": "x.db"}, []string{"--demo"}, true, ""},
		{"--demo --no-demo", nil, []string{"--demo", "--no-demo"}, false, "contradict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HAOCHA_DB", "")
			t.Setenv("HAOCHA_NO_DEMO", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			dbFlag(fs)
			noDemo := fs.Bool("no-demo", boolEnv("HAOCHA_NO_DEMO"), "")
			demo := fs.Bool("demo", false, "")
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			got, err := demoWanted(fs, *demo, *noDemo)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("demoWanted = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestServeNamedDatabase: an operator's fresh database stays empty when
// serve starts on it; --demo fills it. Each server is ready, then stopped.
func TestServeNamedDatabase(t *testing.T) {
	t.Setenv("HAOCHA_DB", "")
	t.Setenv("HAOCHA_NO_DEMO", "")
	for _, tt := range []struct {
		name        string
		extra       []string
		wantCatalog bool
	}{
		{"named", nil, false},
		{"named with --demo", []string{"--demo", "--reviews", "50"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "ops.db")
			logs := serveUntilReady(t, append([]string{"serve", "--db", db}, tt.extra...))
			st, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			has, err := st.HasCatalog(context.Background())
			if err != nil || has != tt.wantCatalog {
				t.Errorf("catalogue after serve %v: %v (err %v), want %v\n%s", tt.extra, has, err, tt.wantCatalog, logs)
			}
		})
	}
}

// serveUntilReady runs serve with args until /healthz answers 200, stops
// it, and returns what it printed.
func serveUntilReady(t *testing.T, args []string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, append(args, "--addr", addr), &logs, &logs) }()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("serve %v not ready: %v\n%s", args, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve %v ended with %v", args, err)
	}
	return logs.String()
}
