package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/api/apitest"
)

// TestEveryAnswerIsHardened asks for answers of every kind (JSON, an error,
// a page, an asset, a folder of assets) and checks that none can be sniffed
// into HTML or framed, and that no folder is listed.
func TestEveryAnswerIsHardened(t *testing.T) {
	srv := emptyServer(t)
	tests := []struct {
		path   string
		status int
	}{
		{"/api/v1/units", http.StatusOK},
		{"/api/v1/units/nosuch", http.StatusNotFound},
		{"/healthz", http.StatusOK},
		{"/api/openapi.json", http.StatusOK},
		{"/console/static/console.css", http.StatusOK},
		{"/console/static/", http.StatusNotFound},
		{"/static/", http.StatusNotFound},
		{"/no/such/page", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
				if got := resp.Header.Get(h); got != want {
					t.Errorf("%s: %q, want %q", h, got, want)
				}
			}
		})
	}
}

// TestOtherSitesCannotPost: a browser on another site posting a review, a
// follow-up or a console action is refused, whatever the body's type;
// the same post from this site, or from an integration with no browser
// headers, reaches the handler.
func TestOtherSitesCannotPost(t *testing.T) {
	srv := emptyServer(t)
	post := func(path string, hdr map[string]string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(`{"stars":5}`))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, path := range []string{"/api/v1/reviews", "/api/v1/follow/x", "/console/login", "/api/v1/orders/1/dispatch"} {
		for _, hdr := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}} {
			if got := post(path, hdr); got != http.StatusForbidden {
				t.Errorf("POST %s from another site (%v): %d, want 403", path, hdr, got)
			}
		}
		for _, hdr := range []map[string]string{nil, {"Sec-Fetch-Site": "same-origin"}} {
			if got := post(path, hdr); got == http.StatusForbidden {
				t.Errorf("POST %s (%v): refused as cross-site", path, hdr)
			}
		}
	}
}

// emptyServer serves a fresh database without the demo.
func emptyServer(t *testing.T) *httptest.Server {
	t.Helper()
	m, err := Open(context.Background(), Config{DB: filepath.Join(t.TempDir(), "h.db"), NoDemo: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Loop: LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Store.Close() })
	srv := httptest.NewServer(apitest.Check(t, m.Handler()))
	t.Cleanup(srv.Close)
	return srv
}
