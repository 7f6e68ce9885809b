package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
)

// TestEveryAnswerIsHardened asks for answers of every kind (JSON, an error,
// a page, an asset, a folder of assets) and checks that none can be sniffed
// into HTML or framed, and that no folder is listed.
func TestEveryAnswerIsHardened(t *testing.T) {
	m, err := Open(context.Background(), Config{DB: filepath.Join(t.TempDir(), "h.db"), NoDemo: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Loop: LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Store.Close()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
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
