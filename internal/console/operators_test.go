package console_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
)

// TestOperatorsOwnFigures: each 12345 operator is judged for their own
// steps: one dispatches an order at once, the other dispatches one two
// working days late and records the cause of an unsatisfied answer. The
// General Office sees both beside the centre's board, in either
// language; an operator sees their own row alone; a unit's handler and
// the public see none (issue 18).
func TestOperatorsOwnFigures(t *testing.T) { eachBackend(t, testOperatorsOwnFigures) }

func testOperatorsOwnFigures(t *testing.T, e *env) {
	e.addUser(account.User{Login: "operator2", DisplayName: "周敏", Role: account.Operator})
	onTime, _ := e.badReview(false)
	e.must(200, "POST", "/api/v1/orders/"+onTime+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 1})
	late, _ := e.badReview(false)
	e.clock.Add(3 * 24 * time.Hour) // Monday 09:00 to Thursday: past Tuesday's deadline
	e.must(200, "POST", "/api/v1/orders/"+late+"/dispatch", "operator2", map[string]any{"unit": unitA, "complexity": "simple", "days": 1})

	e.clock.Add(7 * 24 * time.Hour) // both orders due: on the centre's board
	e.renewTokens()
	sup := e.login("supervisor", password)
	page := sup.get("/console/operators")
	row := func(page, login string) string {
		m := regexp.MustCompile(`(?s)<tr id="op-` + login + `">.*?</tr>`).FindString(page)
		return m
	}
	one, two := row(page, "operator"), row(page, "operator2")
	if !strings.Contains(one, `data-label="首次派单">1<`) || !strings.Contains(one, `data-label="派单超时">0 `) {
		t.Errorf("the prompt operator's row: %s", one)
	}
	if !strings.Contains(two, "周敏") || !strings.Contains(two, `data-label="首次派单">1<`) || !strings.Contains(two, `data-label="派单超时">1 <small>100.0%`) {
		t.Errorf("the late operator's row: %s", two)
	}
	if !strings.Contains(page, `id="op-centre-late">1<`) || !strings.Contains(page, "本季度") {
		t.Errorf("the centre's board over the quarter is not beside the operators: %.2000s", page)
	}
	sup.lang = "en"
	if en := sup.get("/console/operators?period=year"); !strings.Contains(en, "Each operator&#39;s own work") || !strings.Contains(en, `data-label="Dispatched late">1 `) {
		t.Errorf("the English page: %.1500s", en)
	}

	own := e.login("operator2", password).get("/console/operators")
	if row(own, "operator2") == "" || row(own, "operator") != "" {
		t.Errorf("an operator sees other operators' figures or not their own")
	}
	if st := e.login("handlerA", password).status("/console/operators"); st != 403 && st != 404 {
		t.Errorf("a handler reads the operators' figures: %d", st)
	}

	// The same figures in JSON, under the same rule.
	e.renewTokens()
	all := e.must(200, "GET", "/api/v1/operators", "supervisor", nil)
	ops, _ := all["operators"].([]any)
	if len(ops) != 2 || all["period"] != "quarter" {
		t.Fatalf("GET /api/v1/operators: %v", all)
	}
	if o, _ := ops[1].(map[string]any); o["login"] != "operator2" || o["name"] != "周敏" || o["dispatched_late"] != 1.0 || o["late_rate"] != 1.0 {
		t.Errorf("operator2 in JSON: %v", o)
	}
	mine := e.must(200, "GET", "/api/v1/operators?period=year", "operator", nil)
	if ops, _ := mine["operators"].([]any); len(ops) != 1 || ops[0].(map[string]any)["login"] != "operator" {
		t.Errorf("an operator's own figures: %v", mine)
	}
	e.must(403, "GET", "/api/v1/operators", "handlerA", nil)
	e.must(422, "GET", "/api/v1/operators?period=decade", "supervisor", nil)
}
