package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/workorder"
)

// TestBadReviewThroughEveryPath walks one bad review through the loop as
// the operator, the unit and the citizen see it.
func TestBadReviewThroughEveryPath(t *testing.T) { eachBackend(t, testBadReviewThroughEveryPath) }

func testBadReviewThroughEveryPath(t *testing.T, e *env) {
	number, token := e.badReview(false)
	path := "/api/v1/orders/" + number

	// The operator sees it in the queue, with the reviewer's full phone.
	queue := e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil)
	if !listHas(queue, number) {
		t.Fatalf("new order %s not in the operator's queue: %v", number, queue)
	}
	got := e.must(200, "GET", path, "operator", nil)
	if phone := reviewer(got)["phone"]; phone != "13912345678" {
		t.Errorf("operator sees phone %v, want it whole", phone)
	}
	// The unit does not see it before it is dispatched to them.
	e.must(404, "GET", path, "handlerA", nil)

	// Deadlines: 16 days refused, a complex order under 5 days refused.
	for _, bad := range []map[string]any{
		{"unit": unitA, "complexity": "complex", "days": 16},
		{"unit": unitA, "complexity": "complex", "days": 3},
		{"unit": unitA, "complexity": "simple", "days": 6},
		{"unit": "nowhere", "complexity": "simple", "days": 0},
	} {
		e.must(422, "POST", path+"/dispatch", "operator", bad)
	}
	if o := e.order(number); o.State != workorder.New || o.Unit != "" {
		t.Fatalf("refused dispatches changed the order: %s %s", o.State, o.Unit)
	}

	// Simple: due at the end of this working day, and so is the first
	// contact (never after the reply).
	got = e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})
	if got["state"] != "dispatched" || got["due"] != "2026-03-02T09:30:00Z" || got["contact_due"] != "2026-03-02T09:30:00Z" {
		t.Fatalf("after dispatch: state %v due %v contact due %v; want dispatched, both 17:30 today (Shanghai)",
			got["state"], got["due"], got["contact_due"])
	}
	e.must(409, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})

	// The unit sees it now, phone masked; the other unit does not.
	got = e.must(200, "GET", path, "handlerA", nil)
	if phone := reviewer(got)["phone"]; phone != "139****5678" {
		t.Errorf("unit sees phone %v, want it masked", phone)
	}
	e.must(404, "GET", path, "handlerB", nil)

	e.clock.Add(2 * time.Hour)
	e.must(200, "POST", path+"/contact", "handlerA", map[string]any{"note": "已电话联系"})
	e.must(422, "POST", path+"/reply", "handlerA", map[string]any{"findings": "属实"})
	e.must(200, "POST", path+"/reply", "handlerA", map[string]any{
		"findings": "窗口人员态度生硬属实", "rectification": "当事人批评教育，全窗口培训", "answer": "已整改，欢迎再次监督"})

	// The citizen is not satisfied: a reason is required.
	resp := e.citizenForm(token, url.Values{"satisfied": {"no"}})
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error=reason") {
		t.Errorf("not satisfied without reason answered %d %s", resp.StatusCode, loc)
	}
	if e.order(number).State != workorder.Replied {
		t.Fatal("a follow-up without its reason was taken")
	}
	resp = e.citizenForm(token, url.Values{"satisfied": {"no"}, "reason": {"只是道歉，问题没解决"}})
	if resp.StatusCode != http.StatusSeeOther || e.order(number).State != workorder.NotSatisfied {
		t.Fatalf("not satisfied: %d, state %s", resp.StatusCode, e.order(number).State)
	}
	queue = e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil)
	if !listHas(queue, number) {
		t.Error("a not-satisfied order is not back in the operator's queue")
	}

	// Re-dispatch, complex: round 2, 10 working days from Monday 11:00.
	got = e.must(200, "POST", path+"/redispatch", "operator", map[string]any{"unit": unitA, "complexity": "complex", "days": 10, "note": "请彻底解决"})
	if got["round"] != 2.0 || got["due"] != "2026-03-16T09:30:00Z" || got["reply"] != nil {
		t.Fatalf("after re-dispatch: round %v due %v reply %v", got["round"], got["due"], got["reply"])
	}
	e.must(200, "POST", path+"/reply", "handlerA", map[string]any{
		"findings": "复核材料要求", "rectification": "取消多余材料要求", "answer": "已一次办结，材料清单已更新"})

	// Satisfied, through the app's JSON call: closed.
	out := e.must(200, "POST", "/api/v1/follow/"+token, "", map[string]any{"satisfied": true})
	if out["state"] != "closed" {
		t.Fatalf("after satisfied: %v", out)
	}
	e.must(409, "POST", path+"/reply", "handlerA", map[string]any{"findings": "x", "rectification": "x", "answer": "x"})
	e.must(409, "POST", "/api/v1/follow/"+token, "", map[string]any{"satisfied": false, "reason": "again"})

	o := e.order(number)
	if o.State != workorder.Closed || o.Round != 2 || o.Overdue || o.NotSatisfied != 1 {
		t.Errorf("closed order: state %s round %d overdue %v not satisfied %d", o.State, o.Round, o.Overdue, o.NotSatisfied)
	}
	// Every step is in the audit trail, and the chain holds.
	trail, err := e.st.AuditOf(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, a := range trail {
		if a.Action != string(workorder.ActViewContact) {
			steps = append(steps, a.Action+":"+a.To)
		}
	}
	want := "dispatch:dispatched contact:dispatched reply:replied follow_up:not_satisfied redispatch:dispatched reply:replied follow_up:closed"
	if strings.Join(steps, " ") != want {
		t.Errorf("audit trail:\n got %s\nwant %s", strings.Join(steps, " "), want)
	}
	if _, err := e.st.VerifyAudit(context.Background()); err != nil {
		t.Errorf("honest audit trail fails verification: %v", err)
	}
	// The Open311 view shows progress, not the citizen.
	var reqs []map[string]any
	e.getJSON("/open311/v2/requests/"+number+".json", &reqs)
	if len(reqs) != 1 || reqs[0]["status"] != "closed" || reqs[0]["expected_datetime"] != "2026-03-16T09:30:00Z" {
		t.Errorf("open311 request: %v", reqs)
	}
	if raw := e.getRaw("/open311/v2/requests.json"); strings.Contains(raw, "13912345678") || strings.Contains(raw, "李四") || strings.Contains(raw, "态度") {
		t.Error("the Open311 view leaks the review or the reviewer")
	}
}

func listHas(out map[string]any, number string) bool {
	list, _ := out["orders"].([]any)
	for _, o := range list {
		if m, _ := o.(map[string]any); m["number"] == number {
			return true
		}
	}
	return false
}

func reviewer(order map[string]any) map[string]any {
	rv, _ := order["review"].(map[string]any)
	who, _ := rv["reviewer"].(map[string]any)
	return who
}
