package console_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// unsatisfiedOrder is a bad review's order, dispatched to unit A, answered
// and found unsatisfying by its citizen.
func (e *env) unsatisfiedOrder() string {
	e.t.Helper()
	number, token := e.badReview(false)
	path := "/api/v1/orders/" + number
	e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})
	e.must(200, "POST", path+"/reply", "handlerA", map[string]any{"findings": "f", "rectification": "r", "answer": "a"})
	e.citizenForm(token, url.Values{"satisfied": {"no"}, "reason": {"问题没解决"}})
	return number
}

// TestCauseReviewFlow: after a "not satisfied" follow-up the operator
// records a cause, the unit contests it once, the supervisor changes it;
// each role finds the order in its queue, and the history says it all in
// either language. Only the right role and unit may take each step.
func TestCauseReviewFlow(t *testing.T) { eachBackend(t, testCauseReviewFlow) }

func testCauseReviewFlow(t *testing.T, e *env) {
	number := e.unsatisfiedOrder()
	path := "/api/v1/orders/" + number
	inQueue := func(who, queue string) bool {
		return listHas(e.must(200, "GET", "/api/v1/orders?cause="+queue, who, nil), number)
	}
	if !inQueue("operator", "awaiting") {
		t.Fatal("an unsatisfied order is not in the operator's queue of orders awaiting a cause")
	}
	e.must(422, "GET", "/api/v1/orders?cause=later", "operator", nil)
	if !strings.Contains(e.login("operator", password).get("/console/causes"), number) {
		t.Error("the operator's cause page does not list the order")
	}

	// Only the operator records the cause, from the list.
	e.must(403, "POST", path+"/cause", "handlerA", map[string]any{"cause": "careless"})
	e.must(403, "POST", path+"/cause", "supervisor", map[string]any{"cause": "careless"})
	e.must(422, "POST", path+"/cause", "operator", map[string]any{"cause": "bad_luck"})
	got := e.must(200, "POST", path+"/cause", "operator", map[string]any{"cause": "careless", "note": "答复未回应诉求"})
	if c, _ := got["cause"].(map[string]any); c["code"] != "careless" || c["at_fault"] != true {
		t.Fatalf("after the cause: %v", got["cause"])
	}
	e.must(409, "POST", path+"/cause", "operator", map[string]any{"cause": "duplicate"})
	if inQueue("operator", "awaiting") || !inQueue("handlerA", "contestable") {
		t.Error("the recorded cause did not move the order from the operator's queue to the unit's")
	}

	// Only the unit that has the order contests, once, with a reason.
	e.must(404, "POST", path+"/cause-contest", "handlerB", map[string]any{"reason": "不是我们"})
	e.must(403, "POST", path+"/cause-contest", "operator", map[string]any{"reason": "x"})
	e.must(422, "POST", path+"/cause-contest", "handlerA", map[string]any{})
	handler := e.login("handlerA", password)
	if !strings.Contains(handler.get("/console/causes"), number) {
		t.Error("the unit's cause page does not list the finding against it")
	}
	if st := handler.post("/console/orders/"+number+"/cause-contest", url.Values{"reason": {"已按政策答复"}}, true); st != 200 {
		t.Fatalf("contest from the order page = %d", st)
	}
	e.must(409, "POST", path+"/cause-contest", "handlerA", map[string]any{"reason": "再次申辩"})

	// Only the supervisor decides.
	if !inQueue("supervisor", "contested") {
		t.Error("the contest is not in the supervisor's queue")
	}
	e.must(403, "POST", path+"/cause-decision", "operator", map[string]any{"uphold": false, "cause": "unreasonable", "note": "x"})
	e.must(403, "POST", path+"/cause-decision", "handlerA", map[string]any{"uphold": true, "note": "x"})
	got = e.must(200, "POST", path+"/cause-decision", "supervisor", map[string]any{"uphold": false, "cause": "unreasonable", "note": "诉求超出政策"})
	if c, _ := got["cause"].(map[string]any); c["code"] != "unreasonable" || c["at_fault"] != false || c["contest"] != "changed" {
		t.Fatalf("after the decision: %v", got["cause"])
	}
	e.must(409, "POST", path+"/cause-decision", "supervisor", map[string]any{"uphold": true, "note": "x"})

	for lang, want := range map[string][]string{
		"zh": {"记录不满意原因", "敷衍塞责", "答复未回应诉求", "单位申辩不满意原因", "已按政策答复", "改定原因", "诉求不合理或超出政策", "单位无责"},
		"en": {"recorded the cause of dissatisfaction", "handled carelessly", "the unit contested the cause", "cause changed", "request unreasonable or outside policy", "unit not at fault"},
	} {
		for _, who := range []string{"supervisor", "handlerA"} {
			c := e.login(who, password)
			c.lang = lang
			page := c.get("/console/orders/" + number)
			history := page[strings.Index(page, `id="history"`):]
			for _, w := range want {
				if !strings.Contains(history, w) && !strings.Contains(page, w) {
					t.Errorf("%s's order page in %s lacks %q", who, lang, w)
				}
			}
			if strings.Contains(page, "cause careless") || strings.Contains(page, "changed to") {
				t.Errorf("%s's order page in %s shows a raw note", who, lang)
			}
		}
	}
}

// TestCauseDecidesR: of two orders of one unit left unsatisfied, the one
// whose cause clears the unit counts as rectified, the careless one does
// not: R is 1/2, and the unit's public page shows the cause mix.
func TestCauseDecidesR(t *testing.T) {
	e := newEnv(t)
	cleared, careless := e.unsatisfiedOrder(), e.unsatisfiedOrder()
	day := e.clock.Now().Format("2006-01-02")
	indicators := func() map[string]any {
		got := e.must(200, "GET", "/api/v1/indicators?scope=unit&code="+unitA+"&from="+day+"&to="+day, "supervisor", nil)
		in, _ := got["indicators"].(map[string]any)
		return in
	}
	e.clock.Add(48 * time.Hour) // both past due
	if in := indicators(); in["rectification_rate"] != 0.0 || in["cause_at_fault_share"] != nil {
		t.Fatalf("without causes: rectification %v, at-fault share %v; want 0 and null", in["rectification_rate"], in["cause_at_fault_share"])
	}
	e.must(200, "POST", "/api/v1/orders/"+cleared+"/cause", "operator", map[string]any{"cause": "unreachable"})
	e.must(200, "POST", "/api/v1/orders/"+careless+"/cause", "operator", map[string]any{"cause": "careless"})
	in := indicators()
	if in["rectification_rate"] != 0.5 || in["cause_at_fault_share"] != 0.5 {
		t.Errorf("rectification %v, at-fault share %v; want 0.5 and 0.5", in["rectification_rate"], in["cause_at_fault_share"])
	}
	if c, _ := in["causes"].(map[string]any); c["careless"] != 1.0 || c["unreachable"] != 1.0 {
		t.Errorf("cause mix %v", in["causes"])
	}
	page := e.getRaw("/units/" + unitA)
	if !strings.Contains(page, `id="score-causes"`) || !strings.Contains(page, "敷衍塞责 1") || !strings.Contains(page, "市民无法联系 1") {
		t.Errorf("the unit page lacks its cause mix")
	}
}
