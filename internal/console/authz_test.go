package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/workorder"
)

var callers = []string{"operator", "handlerA", "handlerB", "supervisor", "staff", "admin", ""}

// TestAuthorizationMatrix tries every action as every role, on an order of
// unit A in the state where the action is possible: allowed means 200, a
// wrong role 403, another unit's order 404 (its existence must not leak),
// no credentials 401; a refused call changes nothing.
func TestAuthorizationMatrix(t *testing.T) { eachBackend(t, testAuthorizationMatrix) }

func testAuthorizationMatrix(t *testing.T, e *env) {
	type setup func(number, token string)
	dispatch := func(number, _ string) {
		e.must(200, "POST", "/api/v1/orders/"+number+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 2})
	}
	replied := func(number, token string) {
		dispatch(number, token)
		e.must(200, "POST", "/api/v1/orders/"+number+"/reply", "handlerA", map[string]any{"findings": "f", "rectification": "r", "answer": "a"})
	}
	notSatisfied := func(number, token string) {
		replied(number, token)
		e.must(200, "POST", "/api/v1/follow/"+token, "", map[string]any{"satisfied": false, "reason": "no"})
	}
	then := func(first setup, who, action string, body map[string]any) setup {
		return func(number, token string) {
			first(number, token)
			e.must(200, "POST", "/api/v1/orders/"+number+"/"+action, who, body)
		}
	}
	const ok, no, hidden = 200, 403, 404
	tests := []struct {
		action string
		setup  setup
		body   map[string]any
		want   []int // by callers: operator, handlerA, handlerB, supervisor, staff, admin, nobody
	}{
		{"dispatch", func(string, string) {}, map[string]any{"unit": unitA, "complexity": "simple", "days": 1},
			[]int{ok, hidden, hidden, no, no, no, 401}},
		{"redispatch", notSatisfied, map[string]any{"unit": unitA, "complexity": "complex", "days": 5},
			[]int{ok, no, hidden, ok, no, no, 401}},
		{"contact", dispatch, map[string]any{"note": "called"},
			[]int{no, ok, hidden, no, no, no, 401}},
		{"reply", dispatch, map[string]any{"findings": "f", "rectification": "r", "answer": "a"},
			[]int{no, ok, hidden, no, no, no, 401}},
		{"follow-up", replied, map[string]any{"satisfied": true},
			[]int{ok, no, hidden, no, no, no, 401}},
		{"escalate", dispatch, map[string]any{"note": "slow"},
			[]int{ok, no, hidden, ok, no, no, 401}},
		{"reassign-request", dispatch, map[string]any{"reason": "not ours"},
			[]int{no, ok, hidden, no, no, no, 401}},
		{"reassign-decision", then(dispatch, "handlerA", "reassign-request", map[string]any{"reason": "not ours"}),
			map[string]any{"grant": false, "note": "it is yours"},
			[]int{ok, no, hidden, no, no, no, 401}},
		{"appeal", dispatch, map[string]any{"ground": "malicious", "reason": "flood from one device"},
			[]int{no, ok, hidden, no, no, no, 401}},
		{"appeal-decision", then(dispatch, "handlerA", "appeal", map[string]any{"ground": "mistaken", "reason": "wrong hall"}),
			map[string]any{"uphold": false, "note": "the hall is right"},
			[]int{no, no, hidden, ok, no, no, 401}},
		{"assessment", dispatch, map[string]any{"note": "for the year end"},
			[]int{no, no, hidden, ok, no, no, 401}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		for i, who := range callers {
			name := who
			if name == "" {
				name = "nobody"
			}
			t.Run(tt.action+"/"+name, func(t *testing.T) {
				number, token := e.badReview(false)
				tt.setup(number, token)
				before := *e.order(number)
				trail, _ := e.st.AuditOf(ctx, before.ID)
				got, out := e.call("POST", "/api/v1/orders/"+number+"/"+tt.action, who, tt.body)
				if got != tt.want[i] {
					t.Fatalf("%s by %s: %d %v, want %d", tt.action, name, got, out, tt.want[i])
				}
				if got == ok {
					return
				}
				if after := *e.order(number); after != before {
					t.Errorf("a refused %s changed the order:\n got %+v\nwant %+v", tt.action, after, before)
				}
				if after, _ := e.st.AuditOf(ctx, before.ID); len(after) != len(trail) {
					t.Errorf("a refused %s wrote %d audit rows", tt.action, len(after)-len(trail))
				}
				if got == hidden && strings.Contains(fmt.Sprint(out), number) {
					t.Errorf("the 404 names the order: %v", out)
				}
			})
		}
	}
}

// TestWhoSeesWhat checks reading: lists, an order, and the reviewer's
// identity, by role.
func TestWhoSeesWhat(t *testing.T) { eachBackend(t, testWhoSeesWhat) }

func testWhoSeesWhat(t *testing.T, e *env) {
	real, _ := e.badReview(false)
	anon, _ := e.badReview(true)
	for _, n := range []string{real, anon} {
		e.must(200, "POST", "/api/v1/orders/"+n+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 1})
	}
	tests := []struct {
		who       string
		status    int
		phone     any // of the real-name reviewer; nil when not shown
		listed    bool
		listState int
	}{
		{"operator", 200, "13912345678", true, 200},
		{"handlerA", 200, "139****5678", true, 200},
		{"handlerB", 404, nil, false, 200},
		{"supervisor", 200, "139****5678", true, 200},
		{"staff", 403, nil, false, 403},
		{"admin", 403, nil, false, 403},
		{"", 401, nil, false, 401},
	}
	for _, tt := range tests {
		got, out := e.call("GET", "/api/v1/orders/"+real, tt.who, nil)
		if got != tt.status {
			t.Errorf("GET order as %q = %d, want %d", tt.who, got, tt.status)
			continue
		}
		if got == 200 {
			if phone := reviewer(out)["phone"]; phone != tt.phone {
				t.Errorf("%s sees phone %v, want %v", tt.who, phone, tt.phone)
			}
			_, anonOut := e.call("GET", "/api/v1/orders/"+anon, tt.who, nil)
			if r := reviewer(anonOut); r != nil {
				t.Errorf("%s sees an anonymous reviewer: %v", tt.who, r)
			}
		}
		status, list := e.call("GET", "/api/v1/orders", tt.who, nil)
		if status != tt.listState || listHas(list, real) != tt.listed {
			t.Errorf("list as %q = %d, has the order %v; want %d, %v", tt.who, status, listHas(list, real), tt.listState, tt.listed)
		}
	}
	// Each view of personal data is in the audit trail.
	o := e.order(real)
	trail, _ := e.st.AuditOf(context.Background(), o.ID)
	views := 0
	for _, a := range trail {
		if a.Action == string(workorder.ActViewContact) {
			views++
		}
	}
	if views != 3 {
		t.Errorf("%d views of personal data recorded, want 3 (operator, handler, supervisor)", views)
	}
}

// TestConsoleForms checks the HTML consoles: login, CSRF, the same
// authorization as the API, lockout and logout.
func TestConsoleForms(t *testing.T) { eachBackend(t, testConsoleForms) }

func testConsoleForms(t *testing.T, e *env) {
	number, _ := e.badReview(false)
	op := e.login("operator", password)
	page := op.get("/console/orders?view=queue")
	if !strings.Contains(page, number) {
		t.Fatalf("the operator's queue lacks %s", number)
	}
	page = op.get("/console/orders/" + number)
	if !strings.Contains(page, "13912345678") || !strings.Contains(page, `id="dispatch"`) {
		t.Error("the operator's order page lacks the phone or the dispatch form")
	}
	// Without the CSRF token: refused, nothing changes.
	if st := op.post("/console/orders/"+number+"/dispatch", url.Values{"unit": {unitA}, "complexity": {"simple"}, "days": {"0"}}, false); st != http.StatusForbidden {
		t.Errorf("dispatch without CSRF token = %d, want 403", st)
	}
	if e.order(number).State != workorder.New {
		t.Fatal("a form without its CSRF token was taken")
	}
	// 16 days: refused, the page says why.
	if st := op.post("/console/orders/"+number+"/dispatch", url.Values{"unit": {unitA}, "complexity": {"complex"}, "days": {"16"}}, true); st != 422 {
		t.Errorf("16 days = %d, want 422", st)
	}
	if !strings.Contains(op.last, "15") || !strings.Contains(op.last, `id="error"`) {
		t.Error("the refusal does not say the limit")
	}
	if st := op.post("/console/orders/"+number+"/dispatch", url.Values{"unit": {unitA}, "complexity": {"simple"}, "days": {"0"}}, true); st != 200 {
		t.Fatalf("dispatch = %d", st)
	}
	if e.order(number).State != workorder.Dispatched {
		t.Fatal("the dispatch form did not dispatch")
	}
	// A handler of another unit: the order does not exist for them.
	hb := e.login("handlerB", password)
	if st := hb.post("/console/orders/"+number+"/reply", url.Values{"findings": {"f"}, "rectification": {"r"}, "answer": {"a"}}, true); st != 404 {
		t.Errorf("another unit's reply = %d, want 404", st)
	}
	if strings.Contains(hb.get("/console/orders"), number) {
		t.Error("another unit lists the order")
	}
	// The operator may not reply for the unit.
	if st := op.post("/console/orders/"+number+"/reply", url.Values{"findings": {"f"}, "rectification": {"r"}, "answer": {"a"}}, true); st != 403 {
		t.Errorf("operator's reply = %d, want 403", st)
	}
	ha := e.login("handlerA", password)
	page = ha.get("/console/orders/" + number)
	if strings.Contains(page, "13912345678") || !strings.Contains(page, "139****5678") {
		t.Error("the unit's page shows the phone unmasked")
	}
	if st := ha.post("/console/orders/"+number+"/reply", url.Values{"findings": {"f"}, "rectification": {"r"}, "answer": {"a"}}, true); st != 200 {
		t.Errorf("the unit's reply = %d", st)
	}
	if e.order(number).State != workorder.Replied {
		t.Error("the reply form did not reply")
	}
	// Window staff see their own results, not orders.
	staff := e.login("staff", password)
	if !strings.Contains(staff.get("/console/me"), "S1") {
		t.Error("window staff do not see their results")
	}
	if st := staff.status("/console/orders"); st != 403 {
		t.Errorf("window staff listing orders = %d, want 403", st)
	}
	// Logout ends the session on the server.
	op.post("/console/logout", url.Values{}, true)
	if st := op.status("/console/orders"); st != http.StatusSeeOther {
		t.Errorf("after logout = %d, want a redirect to the login page", st)
	}
	// Five wrong passwords from one address lock that address out of the
	// account, even with the right one.
	for i := 0; i < 5; i++ {
		if _, st := e.tryLogin("supervisor", "wrong password!"); st != 401 {
			t.Fatalf("wrong password = %d", st)
		}
	}
	if _, st := e.tryLogin("supervisor", password); st != http.StatusTooManyRequests {
		t.Errorf("locked account logged in: %d", st)
	}
	e.clock.Add(16 * 60 * 1e9)
	if _, st := e.tryLogin("supervisor", password); st != http.StatusSeeOther {
		t.Errorf("after the lockout = %d, want a login", st)
	}
}
