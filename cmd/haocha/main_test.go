package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/store"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitReady waits up to two minutes for the server at addr to say on
// /healthz that it is ready: the port answers 503 while it starts.
func waitReady(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not become ready: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestServeDemo follows the README's first command: serve on an empty
// database loads the demo, showing its progress, whose figures reproduce
// the trial run, and shuts down cleanly when told to.
func TestServeDemo(t *testing.T) {
	// No --db and no HAOCHA_DB: the default embedded database, haocha.db
	// in the working directory, as "go run ./cmd/haocha" makes it.
	t.Chdir(t.TempDir())
	t.Setenv("HAOCHA_DB", "")
	// No GOGC either: serve sets the collector's target (serveCollector).
	t.Setenv("GOGC", "")
	was := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(was) })
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs bytes.Buffer
	metricsAddr := freeAddr(t)
	go func() {
		done <- run(ctx, []string{"--addr", addr, "--metrics-token", "m-token", "--metrics-addr", metricsAddr}, &logs, &logs)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve ended with %v", err)
		}
		// The demo load told its progress on stderr.
		if !strings.Contains(logs.String(), "demo reviews: 13,354 done in ") {
			t.Errorf("serve's demo load showed no progress:\n%s", logs.String())
		}
	}()
	// The port answers 503 while the demo loads; /healthz says when it is ready.
	waitReady(t, addr)
	var stats struct{ Total, Bad int }
	resp, err := http.Get("http://" + addr + "/api/v1/stats")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&stats)
	resp.Body.Close()
	if stats.Total != 13354 || stats.Bad != 223 {
		t.Errorf("demo stats: total %d bad %d, want 13354 and 223", stats.Total, stats.Bad)
	}
	// Operations see refusals by reason and work orders by state.
	resp, err = http.Post("http://"+addr+"/api/v1/reviews", "application/json",
		strings.NewReader(`{"channel":"pc","item":"SHGA-001","stage":"application","stars":9,"anonymous":true}`))
	if err != nil || resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad review: %v %v", resp, err)
	}
	resp.Body.Close()
	// Metrics are not public: only to the token, or on their own address.
	resp, err = http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics without the token: %d, want 404", resp.StatusCode)
	}
	var body []byte
	for _, url := range []string{"http://" + addr + "/metrics", "http://" + metricsAddr + "/metrics"} {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer m-token")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", url, resp.StatusCode)
		}
	}
	for _, want := range []string{`haocha_reviews_refused_total{reason="invalid:stars"} 1`, `haocha_work_orders{state="new"}`,
		`haocha_http_request_duration_seconds_count{code="2xx",route="GET /api/v1/stats"}`, `go_sql_max_open_connections`,
		fmt.Sprintf("go_gc_gogc_percent %d", serveGCPercent)} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	units := write("units.csv", "code,kind,name_zh\n310101,district,黄浦区\nGA,agency,市公安局\n")
	badItems := write("items.csv", "code,name_zh,unit\nGA-1,身份证,GA\nGA-2,户口,GX\n")
	tests := []struct {
		args    []string
		wantErr string
		wantOut string
	}{
		{[]string{"version"}, "", runtime.Version()},
		{[]string{"migrate", "--db", db}, "", "schema up to date"},
		{[]string{"import", "--db", db, units}, "", "2 units"},
		{[]string{"import", "--db", db, badItems}, "items.csv:3: unit: unknown unit \"GX\"", ""},
		{[]string{"import", "--db", db}, "name at least one file", ""},
		{[]string{"import", "--db", db, filepath.Join(dir, "missing.json")}, "no such file", ""},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`, ""},
		{[]string{"demo", "--db", filepath.Join(dir, "d.db"), "--reviews", "500", "--seed", "7"}, "", "500 reviews"},
		{[]string{"demo", "--db", filepath.Join(dir, "attack.db"), "--reviews", "500", "--attack"}, "", "recall 98.9% (455 of 460 attack reviews)"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, &out, &errOut)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: err = %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !strings.Contains(out.String(), tt.wantOut) {
			t.Errorf("%v: err = %v, out = %q, want %q", tt.args, err, out.String(), tt.wantOut)
		}
	}
	// The rejected file stored nothing, not even its good first line.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ok, err := st.Exists(context.Background(), "items", "GA-1"); ok || err != nil {
		t.Errorf("item GA-1 of the rejected file: stored = %v, err = %v", ok, err)
	}
}
