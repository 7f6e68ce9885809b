package console_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/workorder"
)

// TestRolePages: each role's own pages render and say what they are for.
func TestRolePages(t *testing.T) {
	e := newEnv(t)
	number, _ := e.badReview(false)
	e.must(200, "POST", "/api/v1/orders/"+number+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "complex", "days": 5})

	sup := e.login("supervisor", password)
	page := sup.get("/console/summary?from=2026-03-01&to=2026-03-31")
	if !strings.Contains(page, `id="summary"`) || !strings.Contains(page, "黄浦区") {
		t.Error("the summary lacks the unit's row")
	}
	if st := sup.status("/console/summary?from=March"); st != 422 {
		t.Errorf("a bad period = %d, want 422", st)
	}
	for _, path := range []string{"/console/orders?view=open", "/console/orders?overdue=1", "/console/orders?escalated=1&unit=" + unitA} {
		sup.get(path)
	}
	if !strings.Contains(sup.get("/console/orders?view=open"), number) {
		t.Error("the supervisor's open orders lack the dispatched order")
	}
	if st := sup.status("/console/users"); st != 403 {
		t.Errorf("supervisor on the accounts page = %d, want 403", st)
	}

	admin := e.login("admin", password)
	if !strings.Contains(admin.get("/console/users"), "handlerA") {
		t.Error("the accounts page lacks an account")
	}
	if st := admin.post("/console/users", url.Values{"name": {"op2"}, "role": {"operator"}, "password": {"another long password"}}, true); st != 200 {
		t.Errorf("add account = %d", st)
	}
	if _, st := e.tryLogin("op2", "another long password"); st != 303 {
		t.Errorf("the new account cannot log in: %d", st)
	}
	if st := admin.post("/console/users", url.Values{"name": {"h9"}, "role": {"handler"}, "password": {"another long password"}}, true); st != 422 {
		t.Errorf("a handler without unit = %d, want 422", st)
	}
	if !strings.Contains(admin.get("/console/calendar"), "2026") {
		t.Error("the calendar page does not list 2026")
	}
	if st := admin.post("/console/calendar", url.Values{"csv": {"date,kind,name\n2027-01-01,holiday,元旦\n"}}, true); st != 200 {
		t.Errorf("calendar import = %d", st)
	}
	if !strings.Contains(admin.last, "2027") {
		t.Error("the imported year is not listed")
	}
	if st := admin.post("/console/calendar", url.Values{"csv": {"2027-13-01,holiday,x\n"}}, true); st != 422 {
		t.Errorf("a bad calendar = %d, want 422", st)
	}
	if st := admin.status("/console/orders"); st != 403 {
		t.Errorf("administrator on work orders = %d, want 403", st)
	}
}

// TestSessionAPI: the JSON API takes a session too, with the CSRF token in
// a header on every POST.
func TestSessionAPI(t *testing.T) {
	e := newEnv(t)
	number, _ := e.badReview(true)
	op := e.login("operator", password)
	me := op.get("/api/v1/me")
	var who struct{ Name, Role, CSRF string }
	if err := json.Unmarshal([]byte(me), &who); err != nil || who.Role != "operator" || who.CSRF == "" {
		t.Fatalf("/api/v1/me = %s", me)
	}
	body := `{"unit":"` + unitA + `","complexity":"simple","days":0}`
	post := func(csrf string) int {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/orders/"+number+"/dispatch", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		return op.do(req).StatusCode
	}
	if st := post(""); st != 403 {
		t.Errorf("session POST without CSRF header = %d, want 403", st)
	}
	if st := post("forged"); st != 403 {
		t.Errorf("session POST with a wrong CSRF header = %d, want 403", st)
	}
	if e.order(number).State != workorder.New {
		t.Fatal("a POST without its CSRF token dispatched the order")
	}
	if st := post(who.CSRF); st != 200 {
		t.Errorf("session POST with the CSRF header = %d: %s", st, op.last)
	}
}
