package console_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestRoutingRules: the administrator keeps rules through the API and the
// page, each change audited; bad rules are refused naming the field; other
// roles cannot change them; the order page suggests the rated unit first,
// then the item's rule, and a suggestion's link starts the form on it; the
// queue suggests the unit for each new order and the bulk form starts on
// the unit they share.
func TestRoutingRules(t *testing.T) { eachBackend(t, testRoutingRules) }

func testRoutingRules(t *testing.T, e *env) {
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"kind": "item", "key": "NOPE", "unit": "SHGA"}, "key"},
		{map[string]any{"kind": "item", "key": "SHGA-001", "unit": "nowhere"}, "unit"},
		{map[string]any{"kind": "hall", "key": "H1", "unit": "SHGA"}, "unit"}, // a hall goes to a district
		{map[string]any{"kind": "unit", "key": "H1", "unit": unitA}, "kind"},
	} {
		if st, out := e.call("PUT", "/api/v1/routing-rules", "admin", c.body); st != 422 || out["field"] != c.field {
			t.Errorf("PUT %v = %d %v, want 422 naming %s", c.body, st, out, c.field)
		}
	}
	e.must(403, "PUT", "/api/v1/routing-rules", "operator", map[string]any{"kind": "item", "key": "SHGA-001", "unit": "SHGA"})
	e.must(403, "GET", "/api/v1/routing-rules", "handlerA", nil)
	e.must(200, "PUT", "/api/v1/routing-rules", "admin", map[string]any{"kind": "item", "key": "SHGA-001", "unit": unitB})
	e.must(200, "PUT", "/api/v1/routing-rules", "admin", map[string]any{"kind": "item", "key": "SHGA-001", "unit": "SHGA"}) // replaces
	if rules := e.must(200, "GET", "/api/v1/routing-rules", "operator", nil)["rules"].([]any); len(rules) != 1 || rules[0].(map[string]any)["unit"] != "SHGA" {
		t.Errorf("rules = %v, want the one item rule to SHGA", rules)
	}
	admin := e.login("admin", password)
	if st := admin.post("/console/routing", url.Values{"kind": {"hall"}, "key": {"H1"}, "unit": {unitB}}, true); st != 303 {
		t.Errorf("page add hall rule = %d", st)
	}
	page := admin.get("/console/routing")
	for _, want := range []string{"居民身份证换领", "市公安局", "黄浦区行政服务中心", "徐汇区"} {
		if !strings.Contains(page, want) {
			t.Errorf("routing page lacks %q", want)
		}
	}
	var audited int
	if err := e.st.DB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'routing_rule_set' AND actor LIKE 'admin:%'").Scan(&audited); err != nil || audited != 3 {
		t.Errorf("%d routing changes audited (%v), want 3", audited, err)
	}

	// The order page: rated unit (黄浦区), then the item rule (市公安局);
	// the hall rule's 徐汇区 too.
	number, _ := e.badReview(false)
	op := e.login("operator", password)
	p := op.get("/console/orders/" + number)
	i, j, k := strings.Index(p, "被评价单位"), strings.Index(p, "事项规则"), strings.Index(p, "大厅规则")
	if i < 0 || j < i || k < j {
		t.Errorf("suggestions not rated unit, item rule, hall rule in that order (%d %d %d)", i, j, k)
	}
	p = op.get("/console/orders/" + number + "?unit=SHGA")
	if !strings.Contains(p, `<option value="SHGA" selected>`) {
		t.Error("the suggestion's link does not start the form on its unit")
	}
	q := op.get("/console/orders?view=queue")
	if !strings.Contains(q, "建议派往: 黄浦区 / 市公安局 / 徐汇区") {
		t.Error("the queue does not suggest units for the new order")
	}
	if !strings.Contains(q, `<option value="`+unitA+`" selected>`) {
		t.Error("the bulk form does not start on the unit the new orders share")
	}

	e.must(204, "DELETE", "/api/v1/routing-rules/item/SHGA-001", "admin", nil)
	e.must(404, "DELETE", "/api/v1/routing-rules/item/SHGA-001", "admin", nil)
}
