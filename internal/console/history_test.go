package console_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestHistoryKeepsEveryRound: after round 2, the round-1 dispatch note and
// answer are still there, for the operator, the supervisor and the unit
// that has the order, in the API and on the page; the audit row of a reply
// carries its text; another unit sees nothing.
func TestHistoryKeepsEveryRound(t *testing.T) { eachBackend(t, testHistoryKeepsEveryRound) }

func testHistoryKeepsEveryRound(t *testing.T, e *env) {
	number, token := e.badReview(false)
	path := "/api/v1/orders/" + number
	e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 1, "note": "请核实窗口态度"})
	e.clock.Add(time.Hour)
	e.must(200, "POST", path+"/contact", "handlerA", map[string]any{"note": "已电话联系"})
	e.must(200, "POST", path+"/reply", "handlerA", map[string]any{"findings": "第一轮查明", "rectification": "第一轮整改", "answer": "第一轮答复"})
	e.citizenForm(token, map[string][]string{"satisfied": {"no"}, "reason": {"没有解决"}})
	e.must(200, "POST", path+"/redispatch", "operator", map[string]any{"unit": unitB, "complexity": "complex", "days": 5, "note": "改由徐汇区办理"})
	e.must(200, "POST", path+"/reply", "handlerB", map[string]any{"findings": "第二轮查明", "rectification": "第二轮整改", "answer": "第二轮答复"})

	for _, who := range []string{"operator", "supervisor", "handlerB"} {
		got := e.must(200, "GET", path, who, nil)
		h, _ := got["history"].([]any)
		var kinds []string
		var answers, notes []string
		for _, s := range h {
			m := s.(map[string]any)
			kinds = append(kinds, m["action"].(string))
			if r, ok := m["reply"].(map[string]any); ok {
				answers = append(answers, r["answer"].(string))
			}
			if n, ok := m["note"].(string); ok {
				notes = append(notes, n)
			}
			if m["action"] == "follow_up" && (m["satisfied"] != false || m["reason"] != "没有解决") {
				t.Errorf("%s: follow-up step %v, want not satisfied with the citizen's reason", who, m)
			}
		}
		if want := "dispatch contact reply follow_up redispatch reply"; strings.Join(kinds, " ") != want {
			t.Errorf("%s sees steps %v, want %s", who, kinds, want)
		}
		if strings.Join(answers, "|") != "第一轮答复|第二轮答复" {
			t.Errorf("%s sees answers %v, want both rounds'", who, answers)
		}
		if !strings.Contains(strings.Join(notes, "|"), "请核实窗口态度") || !strings.Contains(strings.Join(notes, "|"), "改由徐汇区办理") {
			t.Errorf("%s sees notes %v, want both dispatch notes", who, notes)
		}
	}
	// Round 1's unit no longer has the order; round 2's page shows round 1.
	e.must(404, "GET", path, "handlerA", nil)
	page := e.login("handlerB", password).get("/console/orders/" + number)
	for _, want := range []string{`id="history"`, "第一轮答复", "请核实窗口态度", "没有解决", "第二轮答复"} {
		if !strings.Contains(page, want) {
			t.Errorf("handler's order page lacks %q", want)
		}
	}

	// The reply's audit row says what was answered.
	o := e.order(number)
	trail, err := e.st.AuditOf(t.Context(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var replies []string
	for _, a := range trail {
		if a.Action == "reply" {
			replies = append(replies, a.Note)
		}
	}
	if len(replies) != 2 || !strings.Contains(replies[0], "第一轮答复") || !strings.Contains(replies[0], "第一轮整改") {
		t.Errorf("reply audit rows %q, want each with its text", replies)
	}
}

// TestHistoryRebuiltOnUpgrade: orders that lived before steps were kept get
// their history from the audit trail when migration 0054 runs: units and
// the operator's notes of every dispatch, the citizen's reason, and the
// current round's reply text (an earlier round's was never kept).
func TestHistoryRebuiltOnUpgrade(t *testing.T) { eachBackend(t, testHistoryRebuiltOnUpgrade) }

func testHistoryRebuiltOnUpgrade(t *testing.T, e *env) {
	number, token := e.badReview(false)
	path := "/api/v1/orders/" + number
	e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 1, "note": "第一轮说明"})
	e.must(200, "POST", path+"/reply", "handlerA", map[string]any{"findings": "f1", "rectification": "r1", "answer": "第一轮答复"})
	e.citizenForm(token, map[string][]string{"satisfied": {"no"}, "reason": {"还是不行"}})
	e.must(200, "POST", path+"/redispatch", "operator", map[string]any{"unit": unitB, "complexity": "complex", "days": 6, "note": "第二轮说明"})
	e.must(200, "POST", path+"/reply", "handlerB", map[string]any{"findings": "f2", "rectification": "r2", "answer": "第二轮答复"})

	// Back to the schema before 0054, then upgrade.
	db := e.st.DB()
	for _, q := range []string{"DROP TABLE work_order_steps", "DELETE FROM schema_migrations WHERE version = 54"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	h, _ := e.must(200, "GET", path, "handlerB", nil)["history"].([]any)
	var got []string
	for _, s := range h {
		m := s.(map[string]any)
		line := m["action"].(string) + ":" + fmt.Sprint(m["round"]) + ":" + fmt.Sprint(m["unit"])
		for _, k := range []string{"note", "reason"} {
			if v, ok := m[k].(string); ok {
				line += ":" + v
			}
		}
		if r, ok := m["reply"].(map[string]any); ok {
			line += ":" + r["answer"].(string)
		}
		got = append(got, line)
	}
	want := []string{
		"dispatch:1:" + unitA + ":第一轮说明",
		"reply:1:" + unitA + ":",
		"follow_up:1:" + unitA + ":还是不行",
		"redispatch:2:" + unitB + ":第二轮说明",
		"reply:2:" + unitB + ":第二轮答复",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history rebuilt on upgrade:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
