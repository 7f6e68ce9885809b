package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/demo"
)

// Published figures read from a replica (--db-read) say how fresh they
// are, in the page's language; read from the database itself they need not.
func TestPagesStateTheFreshnessOfReplicaFigures(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "haocha.db")
	for _, tt := range []struct {
		name, read string
		want       bool
	}{
		{"primary", "", false},
		// SQLite's file read by a second store stands in for a replica.
		{"replica", db, true},
	} {
		m, err := app.Open(ctx, app.Config{DB: db, DBRead: tt.read, Demo: demo.Options{Reviews: 50, Seed: 3, Days: 2}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(m.Handler())
		halls, err := m.Store.Halls(ctx, "")
		if err != nil || len(halls) == 0 {
			t.Fatalf("no halls: %v", err)
		}
		for _, page := range []struct{ path, phrase string }{
			{"/index", "数据截至"}, {"/units/310101", "数据截至"}, {"/index?lang=en", "Figures as of"},
			// A hall's scorecard, and a unit's, say it beside their period.
			{"/halls/" + halls[0].Code, `id="score-as-of"`}, {"/units/310101?lang=en", `id="score-as-of"`},
		} {
			resp, err := http.Get(srv.URL + page.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d", tt.name, page.path, resp.StatusCode)
			}
			if got := strings.Contains(string(body), page.phrase); got != tt.want {
				t.Errorf("%s %s: says %q: %v, want %v", tt.name, page.path, page.phrase, got, tt.want)
			}
		}
		srv.Close()
		m.Close()
	}
}
