package console

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/workorder"
)

// TestAuditLinesInPageLanguage: the notes the program writes into the
// audit trail (English, in fixed forms) read in the page's language, and
// every action has words: issue 19 found "called by the 12345 operator…",
// "reached", "findings: …" and "round 2: unit 310105, simple, 2 working
// days" on Chinese order pages, and act.held.release shown raw.
func TestAuditLinesInPageLanguage(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	trail := []audit.Entry{
		{At: at, Actor: "operator:op1", Action: "dispatch", From: "new", To: "dispatched", Note: "unit 310105, simple, 0 working days"},
		{At: at, Actor: "operator:op1", Action: "redispatch", Note: "round 2: unit 310105, simple, 2 working days"},
		{At: at, Actor: "operator:op1", Action: "contact", Note: workorder.ContactNote + ": 市民说下午方便"},
		{At: at, Actor: "handler:h1", Action: "reply", Note: "findings: 系统故障; rectification: 已修复; answer: 请重新提交"},
		{At: at, Actor: "operator:op1", Action: "call_done", Note: "reached"},
		{At: at, Actor: "operator:op1", Action: "call_done", Note: "not reached"},
		{At: at, Actor: "citizen", Action: "follow_up", Note: "by phone: not satisfied: 还是没解决"},
		{At: at, Actor: "scheduler", Action: "overdue", Note: "due 2026-11-02T09:30:00Z"},
		{At: at, Actor: "operator:op1", Action: "decide_reassign", Note: "granted, from unit 310101 to unit 310105, complex, 5 working days"},
		{At: at, Actor: "handler:h1", Action: "appeal", Note: "mistaken: 不是本单位的事项"},
		{At: at, Actor: "supervisor:s1", Action: "decide_appeal", Note: "rejected: 理由不充分"},
		{At: at, Actor: "supervisor:s1", Action: "held.release", Note: "review 42: 核实为真实评价"},
		{At: at, Actor: "scheduler", Action: "escalate", Note: "by rule: the citizen was not satisfied 2 times"},
		{At: at, Actor: "scheduler", Action: "escalate", Note: "by rule: overdue by more than 72h0m0s"},
		{At: at, Actor: "supervisor:s1", Action: "held.reject", Note: "review 43: 同一设备连续评价"},
	}
	units := map[string]catalog.Unit{"310105": {Code: "310105", NameZH: "长宁区", NameEN: "Changning District"},
		"310101": {Code: "310101", NameZH: "黄浦区", NameEN: "Huangpu District"}}
	latin := regexp.MustCompile(`[A-Za-z]{2,}`)
	rawKey := regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`)
	for _, line := range readableAudit(LangZH, trail, units) {
		for _, s := range []string{line.What, line.Note, line.States} {
			if w := latin.FindString(s); w != "" {
				t.Errorf("%s: Chinese line %q has %q", line.Action, s, w)
			}
		}
		if rawKey.MatchString(line.What) {
			t.Errorf("%s: shown as the raw key %q", line.Action, line.What)
		}
	}
	han := regexp.MustCompile(`\p{Han}`)
	for _, line := range readableAudit(LangEN, trail, units) {
		// What people typed stays as typed; the program's words are English.
		note := han.ReplaceAllString(line.Note, "")
		if strings.ContainsAny(note, "：、；") || han.MatchString(line.What) {
			t.Errorf("%s: English line %q / %q", line.Action, line.What, line.Note)
		}
	}
	if got := noteInWords(LangZH, "escalate", "by rule: overdue by more than 72h0m0s", units); got != "按规则升级：超期 72 小时以上" {
		t.Errorf("escalation by rule in Chinese: %q", got)
	}
	if got := noteInWords(LangEN, "redispatch", "round 2: unit 310105, simple, 2 working days", units); got != "Round 2: Changning District, Simple, 2 working days" {
		t.Errorf("redispatch in English: %q", got)
	}
}
