package app

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a log destination written from the request and from
// the refusals' timer.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A flood refused by a limit is not a log line a request: its refusals
// are counted into one line a second for each route, while every other
// answer keeps its own line.
func TestRefusalsAreLoggedOnceASecond(t *testing.T) {
	var logs lockedBuffer
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/reviews", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("GET /api/v1/units", func(w http.ResponseWriter, r *http.Request) {})
	h := observe(slog.New(slog.NewTextHandler(&logs, nil)), nil, mux)
	for range 500 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/v1/reviews", nil))
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/units", nil))
	if got := logs.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "path=/api/v1/units status=200") {
		t.Errorf("log before the second is out:\n%s\nwant only the 200's line", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "refused") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	got := logs.String()
	if strings.Count(got, "\n") != 2 || !strings.Contains(got, `msg="requests refused by a limit" route="POST /api/v1/reviews" status=429 count=500 over=1s`) {
		t.Errorf("log:\n%s\nwant one line counting the 500 refusals", got)
	}
}
