package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// TestAppealAndReassignment: a unit asks to move an order (never hands it
// back), the operator moves it; the new unit appeals, the supervisor
// upholds, and the review leaves the index but stays on record.
func TestAppealAndReassignment(t *testing.T) { eachBackend(t, testAppealAndReassignment) }

func testAppealAndReassignment(t *testing.T, e *env) {
	ctx := context.Background()
	number, _ := e.badReview(false)
	path := "/api/v1/orders/" + number
	before, err := e.st.Stats(ctx, review.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 3})
	e.must(422, "POST", path+"/reassign-request", "handlerA", map[string]any{})
	e.must(200, "POST", path+"/reassign-request", "handlerA", map[string]any{"reason": "该窗口由徐汇区管理"})
	e.must(409, "POST", path+"/reassign-request", "handlerA", map[string]any{"reason": "again"})
	got := e.must(200, "POST", path+"/reassign-decision", "operator", map[string]any{"grant": true, "unit": unitB, "complexity": "simple", "days": 3})
	if got["unit"] != unitB || got["round"] != 1.0 || got["state"] != "dispatched" {
		t.Fatalf("after reassignment: %v", got)
	}
	e.must(404, "GET", path, "handlerA", nil)
	e.must(200, "POST", path+"/appeal", "handlerB", map[string]any{"ground": "malicious", "reason": "同一设备一小时内十条差评"})
	e.must(409, "POST", path+"/appeal", "handlerB", map[string]any{"ground": "mistaken", "reason": "again"})
	e.must(422, "POST", path+"/appeal-decision", "supervisor", map[string]any{"uphold": true})
	got = e.must(200, "POST", path+"/appeal-decision", "supervisor", map[string]any{"uphold": true, "note": "核实为恶意差评"})
	if got["state"] != "closed" {
		t.Errorf("after an upheld appeal: state %v", got["state"])
	}
	got = e.must(200, "GET", path, "supervisor", nil)
	rv, _ := got["review"].(map[string]any)
	if ex, _ := rv["excluded"].(string); !strings.Contains(ex, "核实为恶意差评") {
		t.Errorf("the review's exclusion reason: %q", ex)
	}
	after, err := e.st.Stats(ctx, review.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if after.Stars[0] != before.Stars[0]-1 {
		t.Errorf("1-star reviews in the index: %d before, %d after, want one fewer", before.Stars[0], after.Stars[0])
	}
	if o := e.order(number); o.Appeal != workorder.AppealUpheld {
		t.Errorf("appeal %s", o.Appeal)
	}
}

// TestOpen311Services: the Open311 view lists the one service, bad reviews.
func TestOpen311Services(t *testing.T) {
	e := newEnv(t)
	var services []map[string]any
	e.getJSON("/open311/v2/services.json", &services)
	if len(services) != 1 || services[0]["service_code"] != "bad-review" {
		t.Errorf("services: %v", services)
	}
}
