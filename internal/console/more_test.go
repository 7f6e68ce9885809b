package console_test

import (
	"context"
	"encoding/json"
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

// TestOpenAPIDocument: the document is OpenAPI 3 and names every route of
// the API.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(e.getRaw("/api/openapi.json")), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	routes := []string{"post /api/v1/reviews", "get /api/v1/stats", "get /api/v1/index", "get /api/v1/indicators", "get /api/v1/units", "get /api/v1/units/{code}",
		"get /api/v1/items", "get /api/v1/items/{code}", "get /api/v1/workstations/{code}", "get /api/v1/dimensions",
		"get /api/v1/me", "get /api/v1/orders", "get /api/v1/orders/{ref}", "get /api/v1/summary", "post /api/v1/follow/{token}",
		"get /open311/v2/services.json", "get /open311/v2/requests.json", "get /open311/v2/requests/{id}.json", "get /healthz", "get /metrics", "post /api/v1/transactions", "post /api/v1/sms/inbound"}
	for name := range map[string]bool{"dispatch": true, "redispatch": true, "contact": true, "reply": true, "follow-up": true,
		"escalate": true, "reassign-request": true, "reassign-decision": true, "appeal": true, "appeal-decision": true, "assessment": true} {
		routes = append(routes, "post /api/v1/orders/{ref}/"+name)
	}
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("the OpenAPI document lacks %s", r)
		}
	}
	// Open311 services list the one service.
	var services []map[string]any
	e.getJSON("/open311/v2/services.json", &services)
	if len(services) != 1 || services[0]["service_code"] != "bad-review" {
		t.Errorf("services: %v", services)
	}
}
