package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// caller is one identity the walk calls every route as.
type caller struct {
	name  string
	role  account.Role // "" for the public
	unit  string
	token string
}

// TestPublicSurface starts the server once, on the demo, for the checks
// of what the public may reach.
//
// The route walk calls every route the server has registered, read from the
// router itself, as the public and as every role (a unit handler of the
// order's own unit and of another unit): the public gets 401 or the login
// page from every route that is not public and neither from a public one;
// a role outside a route's rule gets 403; a role inside it is never asked
// to log in, a reading (GET) route never refuses it, and another unit's
// work order is 404 to a handler, as if it did not exist. A route
// registered without a rule panics at start, so cannot be missed here.
func TestPublicSurface(t *testing.T) {
	ctx := context.Background()
	// The demo's orders played to a Thursday afternoon, whatever today
	// is: on a weekend none would be in a unit's hands.
	m, err := app.Open(ctx, app.Config{DB: filepath.Join(t.TempDir(), "haocha.db"), Demo: demo.Options{Reviews: 600, Seed: 5, Days: 4, Now: time.Date(2026, 12, 3, 15, 0, 0, 0, calendar.Zone)},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), MetricsToken: "walk-metrics", Loop: app.LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	rows, err := m.Store.Orders(ctx, workorder.Filter{States: []workorder.State{workorder.Dispatched}, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("no dispatched order in the demo: %v", err)
	}
	order := rows[0].Order
	units, err := m.Store.Units(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	foreign := units[0].Code
	if foreign == order.Unit {
		foreign = units[1].Code
	}
	callers := []caller{{name: "public"}, {name: "operator", role: account.Operator}, {name: "handler-own", role: account.Handler, unit: order.Unit},
		{name: "handler-foreign", role: account.Handler, unit: foreign}, {name: "supervisor", role: account.Supervisor},
		{name: "staff", role: account.Staff}, {name: "admin", role: account.Admin}}
	for i := range callers {
		c := &callers[i]
		if c.role != "" {
			c.token = mustToken(t, m.Store, c)
		}
	}
	byName := map[string]caller{}
	for _, c := range callers {
		byName[c.name] = c
	}
	t.Run("route walk", func(t *testing.T) { routeWalk(t, m, order, callers) })
	t.Run("staff results", func(t *testing.T) { staffResults(t, m, byName) })
	t.Run("bounds", func(t *testing.T) { bounds(t, m) })
}

func routeWalk(t *testing.T, m *app.Main, order *workorder.Order, callers []caller) {
	// An action each role may take on an order it sees, so that an
	// allowed role is not refused for the action.
	actions := map[account.Role]string{"": "escalate", account.Operator: "escalate", account.Handler: "contact", account.Supervisor: "assessment",
		account.Admin: "unlock", account.Staff: "acknowledge"}
	routes := m.Routes()
	if len(routes) < 60 {
		t.Fatalf("the router lists %d routes; every route should be there", len(routes))
	}
	h := apitest.Check(t, m.Handler())
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		for _, c := range callers {
			path := samplePath(pattern, order.Number, actions[c.role])
			t.Run(rt.Pattern+"/"+c.name, func(t *testing.T) {
				req := httptest.NewRequest(method, path+"?t=x", strings.NewReader("{}"))
				req.Header.Set("Content-Type", "application/json")
				if c.token != "" {
					req.Header.Set("Authorization", "Bearer "+c.token)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				checkAccess(t, rt, c, w, strings.Contains(pattern, "{ref}"))
			})
		}
	}
}

func checkAccess(t *testing.T, rt route.Route, c caller, w *httptest.ResponseRecorder, orderRef bool) {
	t.Helper()
	status := w.Code
	toLogin := status == http.StatusSeeOther && strings.HasPrefix(w.Header().Get("Location"), "/console/login")
	asked := status == http.StatusUnauthorized || toLogin
	// Logging in and out answer with the login form by their nature.
	if strings.HasPrefix(rt.Pattern, "POST /console/log") {
		asked = false
	}
	switch {
	case c.role == "" && rt.Access.Public:
		if asked {
			t.Errorf("public route asked the public to log in: %d", status)
		}
	case c.role == "":
		want := http.StatusUnauthorized
		if rt.Access.Page {
			want = http.StatusSeeOther
		}
		if status != want || (rt.Access.Page && !toLogin) {
			t.Errorf("without credentials: %d %s, want %d", status, w.Header().Get("Location"), want)
		}
	case !rt.Access.Allows(c.role):
		if status != http.StatusForbidden {
			t.Errorf("a %s, outside the rule %v: %d, want 403", c.role, rt.Access.Roles, status)
		}
	default:
		if asked {
			t.Errorf("a %s, inside the rule, was asked to log in: %d", c.role, status)
		}
		if !rt.Access.Public && strings.HasPrefix(rt.Pattern, "GET ") && status == http.StatusForbidden {
			t.Errorf("a %s, inside the rule, was refused a read: %s", c.role, w.Body.String())
		}
		if orderRef && !rt.Access.Public && c.role == account.Handler {
			foreign := c.name == "handler-foreign"
			if foreign != (status == http.StatusNotFound) {
				t.Errorf("%s on the order of unit %s: %d", c.name, c.unit, status)
			}
		}
	}
}

// samplePath fills a pattern's wildcards with values that name things.
func samplePath(pattern, order, action string) string {
	if strings.HasSuffix(pattern, "/") {
		pattern += "x"
	}
	r := strings.NewReplacer("{$}", "", "{ref}", order, "{action}", action, "{code}", "310101", "{id}", "1",
		"{token}", "no-such-token", "{workstation}", "H310101-00-W01-01", "{file}", "H310101-00-W01-01.png",
		"{name}", "no-such-user", "{period}", "2026-07", "{format}", "csv")
	return r.Replace(pattern)
}

func mustToken(t *testing.T, st *store.Store, c *caller) string {
	t.Helper()
	ctx := context.Background()
	hash, err := account.HashPassword("route walk password")
	if err != nil {
		t.Fatal(err)
	}
	u := &account.User{Login: "walk-" + c.name, Role: c.role, Unit: c.unit, PasswordHash: hash}
	if c.role == account.Staff {
		u.Staff = demo.Catalog().Staff[0].Code
	}
	if err := st.CreateUser(ctx, u, "test"); err != nil {
		t.Fatal(err)
	}
	secret := account.NewToken()
	if _, err := st.IssueToken(ctx, u.Login, secret, "walk", account.TokenTTL, "test"); err != nil {
		t.Fatal(err)
	}
	return secret
}

// get calls path as c and answers status and body, holding both to the
// OpenAPI document.
func get(t *testing.T, m *app.Main, c caller, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	w := httptest.NewRecorder()
	apitest.Check(t, m.Handler()).ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

// staffResults: a staff member's name and results are for staff roles and
// the member: the public sees the workstation without its staff, and
// asking the statistics by staff member needs a login.
func staffResults(t *testing.T, m *app.Main, by map[string]caller) {
	staff := demo.Catalog().Staff[0].Code
	other := demo.Catalog().Staff[1].Code
	ws := ""
	for _, w := range demo.Catalog().Workstations {
		if w.Staff == staff {
			ws = w.Code
		}
	}
	tests := []struct {
		who, path string
		status    int
		has, not  string
	}{
		{"public", "/api/v1/workstations/" + ws, 200, `"hall"`, staff},
		{"operator", "/api/v1/workstations/" + ws, 200, staff, ""},
		{"public", "/api/v1/stats?staff=" + staff, 401, `"field":"staff"`, ""},
		{"handler-own", "/api/v1/stats?staff=" + staff, 403, `"field":"staff"`, ""},
		{"staff", "/api/v1/stats?staff=" + staff, 200, `"total"`, ""},
		{"staff", "/api/v1/stats?staff=" + other, 403, `"field":"staff"`, ""},
		{"supervisor", "/api/v1/stats?staff=" + other, 200, `"total"`, ""},
		{"public", "/api/v1/stats?hall=H310101-00", 200, `"total"`, ""},
	}
	for _, tt := range tests {
		status, body := get(t, m, by[tt.who], tt.path)
		if status != tt.status || !strings.Contains(body, tt.has) || (tt.not != "" && strings.Contains(body, tt.not)) {
			t.Errorf("%s GET %s: %d %.200s; want %d with %q without %q", tt.who, tt.path, status, body, tt.status, tt.has, tt.not)
		}
	}
}

// bounds: what the public may ask is bounded before any work is done.
func bounds(t *testing.T, m *app.Main) {
	ids := strings.TrimSuffix(strings.Repeat("X,", 51), ",")
	long := strings.Repeat("证", 65)
	tests := []struct {
		path, field string
	}{
		{"/open311/v2/requests.json?service_request_id=" + ids, "service_request_id"},
		{"/api/v1/items?q=" + long, "q"},
		{"/api/v1/items?limit=100000", "limit"},
	}
	for _, tt := range tests {
		status, body := get(t, m, caller{}, tt.path)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"`+tt.field+`"`) {
			t.Errorf("GET %.80s: %d %.200s; want 422 naming %s", tt.path, status, body, tt.field)
		}
	}
	for _, p := range []string{"/?q=" + long, "/items?q=" + long} {
		if status, _ := get(t, m, caller{}, p); status != http.StatusUnprocessableEntity {
			t.Errorf("GET %.40s: %d, want 422", p, status)
		}
	}
	// Within the bounds the same asks are answered.
	if status, _ := get(t, m, caller{}, "/open311/v2/requests.json?service_request_id="+strings.TrimSuffix(strings.Repeat("X,", 50), ",")); status != 200 {
		t.Errorf("50 ids: %d, want 200", status)
	}
}
