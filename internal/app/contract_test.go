package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/app"
)

// documented reports whether a registered route belongs in the OpenAPI
// document: the JSON API, Open311, the rating device's JSON, health and
// metrics (pages are not).
func documented(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	for _, p := range []string{"/api/", "/open311/", "/device/"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return path == "/healthz" || path == "/metrics"
}

var docParam = regexp.MustCompile(`\{[^}]+\}`)

// TestDocumentMatchesRouter: every operation of openapi.yaml is served by
// a registered route, and every registered route of the API is in the
// document. The router itself says which route a documented path reaches,
// so a route with a wildcard segment ("POST /api/v1/orders/{ref}/{action}")
// is covered by the operations that name its actions.
func TestDocumentMatchesRouter(t *testing.T) {
	m, err := app.Open(context.Background(), app.Config{DB: filepath.Join(t.TempDir(), "haocha.db"), NoDemo: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), MetricsToken: "contract", Loop: app.LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	doc, err := api.LoadOpenAPI(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// A mux of the registered patterns alone answers which one a request
	// reaches, by the server's own matching rules.
	mux := http.NewServeMux()
	covered := map[string]bool{}
	for _, rt := range m.Routes() {
		mux.Handle(rt.Pattern, http.NotFoundHandler())
		if documented(rt.Pattern) {
			covered[rt.Pattern] = false
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			req := httptest.NewRequest(method, docParam.ReplaceAllString(path, "p1"), nil)
			_, pattern := mux.Handler(req)
			if _, ok := covered[pattern]; !ok {
				t.Errorf("openapi.yaml has %s %s, which no API route serves (it reaches %q)", method, path, pattern)
				continue
			}
			covered[pattern] = true
		}
	}
	var missing []string
	for pattern, ok := range covered {
		if !ok {
			missing = append(missing, pattern)
		}
	}
	slices.Sort(missing)
	for _, p := range missing {
		t.Errorf("the server registers %s but openapi.yaml does not document it", p)
	}
	if len(covered) < 40 {
		t.Errorf("only %d API routes registered: the walk above found too few to mean anything", len(covered))
	}
}
