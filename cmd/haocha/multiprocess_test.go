package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/store/storetest"
)

// buildBinary builds haocha once for tests that run it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "haocha")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServer runs `haocha serve` as a process and waits until it answers.
// It may run on a goroutine other than the test's, so it reports failure
// as an error rather than stopping the test.
func startServer(t *testing.T, bin string, args ...string) (string, error) {
	addr := freeAddr(t)
	logs := &syncBuffer{}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.Env = append(os.Environ(), "HAOCHA_LOG_LEVEL=warn")
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		if err := <-exited; err != nil {
			t.Errorf("server %s: %v\n%s", addr, err, logs)
		}
		exited <- nil
	})
	for deadline := time.Now().Add(2 * time.Minute); ; {
		select {
		case err := <-exited:
			exited <- err // for the cleanup
			return "", fmt.Errorf("server %s ended at start: %v\n%s", addr, err, logs)
		default:
		}
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return "http://" + addr, nil
			}
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("server %s did not start: %v\n%s", addr, err, logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for a process's two output streams.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestTwoProcessesOneDatabase starts two real server processes on one
// PostgreSQL database, at the same time on an empty database: the demo is
// loaded once, both give the same answers, and the per-device review limit
// counts reviews given through either.
func TestTwoProcessesOneDatabase(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	bin := buildBinary(t)
	add := exec.Command(bin, "user", "add", "--db", dsn, "--role", "operator", "--name", "op1", "--password", "correct horse 1")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	args := []string{"--db", dsn, "--demo", "--reviews", "500", "--review-rate", "4", "--insecure-cookies"}
	urls := make([]string, 2)
	errs := make(chan error)
	for i := range urls {
		go func() {
			var err error
			urls[i], err = startServer(t, bin, args...)
			errs <- err
		}()
	}
	for range urls {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	a, b := urls[0], urls[1]
	if sa, sb := getBody(t, a+"/api/v1/stats"), getBody(t, b+"/api/v1/stats"); sa != sb || !strings.Contains(sa, `"total":500,`) {
		t.Fatalf("stats differ or the demo loaded twice:\n%s\n%s", sa, sb)
	}
	// Reviews through both processes, from one device: the fifth is refused
	// whichever process it reaches, once that process has read the others'
	// (its follower reads them once a second; a PostgreSQL group commit
	// does not: docs/operating.md, "Review limits across processes").
	for i := range 5 {
		url := []string{a, b}[i%2]
		if i == 4 {
			time.Sleep(3 * time.Second)
		}
		body := fmt.Sprintf(`{"channel":"app","item":"SHGA-001","stage":"application","stars":%d,"comment":"差","anonymous":true}`, 1+i%5)
		resp, err := http.Post(url+"/api/v1/reviews", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		want := http.StatusCreated
		if i == 4 {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want {
			t.Errorf("review %d via %s: %d %v, want %d", i+1, url, resp.StatusCode, got, want)
		}
	}
	for _, q := range []string{"", "?unit=SHGA", "?item=SHGA-001&stage=application", "?channel=app"} {
		if sa, sb := getBody(t, a+"/api/v1/stats"+q), getBody(t, b+"/api/v1/stats"+q); sa != sb {
			t.Errorf("stats%s differ between processes:\n%s\n%s", q, sa, sb)
		}
	}
	if s := getBody(t, b+"/api/v1/stats"); !strings.Contains(s, `"total":504,`) {
		t.Errorf("stats after four new reviews: %s", s)
	}

	// A session opened on one process is good on the other; failed logins
	// count towards the lockout wherever they land.
	session := login(t, a, "op1", "correct horse 1")
	if session == nil {
		t.Fatal("login on the first process failed")
	}
	req, _ := http.NewRequest("GET", b+"/api/v1/me", nil)
	req.AddCookie(session)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	me, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(me), "op1") {
		t.Errorf("session of process A on process B: %d %s", resp.StatusCode, me)
	}
	for i := range 6 {
		login(t, []string{a, b}[i%2], "op1", "wrong")
	}
	if login(t, b, "op1", "correct horse 1") != nil {
		t.Error("the right password still opened a session after six failures spread over both processes")
	}
}

// login posts the console's login form and returns the session cookie, or
// nil when the login is refused.
func login(t *testing.T, base, name, password string) *http.Cookie {
	t.Helper()
	form := url.Values{"name": {name}, "password": {password}, "csrf": {"tok"}, "next": {"/console/"}}
	req, _ := http.NewRequest("POST", base+"/console/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "haocha_login", Value: "tok"})
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "haocha_session" && c.Value != "" {
			return c
		}
	}
	return nil
}
