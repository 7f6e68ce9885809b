package console_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/console"
)

// selectedUnit is the unit the page's dispatch form starts on.
var selectedUnit = regexp.MustCompile(`<option value="([0-9A-Za-z-]+)" selected>`)

// TestConsoleSpeaksOneLanguage: every console page speaks Chinese, or
// English after the switch, never both; names stand where codes were.
func TestConsoleSpeaksOneLanguage(t *testing.T) {
	e := newEnv(t)
	number, _ := e.badReview(false)
	pages := map[string][]string{
		"operator":   {"/console/orders?view=queue", "/console/orders/" + number, "/console/summary", "/console/alerts"},
		"supervisor": {"/console/dashboard", "/console/orders?view=open", "/console/reports", "/console/assessment"},
		"admin":      {"/console/users", "/console/calendar", "/console/rules"},
	}
	for _, tt := range []struct {
		lang            string
		want, forbidden []string
	}{
		{"", []string{`lang="zh-CN"`, "退出"}, []string{"Log out", "Queue", "Dispatch", "Work orders"}},
		{"en", []string{`lang="en"`, "Log out"}, []string{"退出", "待处理", "派单", "工单号"}},
	} {
		for role, paths := range pages {
			c := e.login(role, password)
			c.lang = tt.lang
			for _, p := range paths {
				page := c.get(p)
				for _, w := range tt.want {
					if !strings.Contains(page, w) {
						t.Errorf("%s %s (lang %q) lacks %q", role, p, tt.lang, w)
					}
				}
				for _, f := range tt.forbidden {
					if f != "" && strings.Contains(page, f) {
						t.Errorf("%s %s (lang %q) says %q", role, p, tt.lang, f)
					}
				}
			}
		}
	}
	op := e.login("operator", password)
	if page := op.get("/console/orders/" + number); !strings.Contains(page, "窗口评价器") && !strings.Contains(page, "窗口扫码") || !strings.Contains(page, "服务态度") {
		t.Error("the order page names neither the channel nor the problem in words")
	}
}

// TestDaysInWords: working days read as a person would say them.
func TestDaysInWords(t *testing.T) {
	for _, tt := range []struct {
		l    console.Lang
		n    int
		want string
	}{
		{console.LangEN, 0, "same day"}, {console.LangEN, 1, "1 working day"}, {console.LangEN, 5, "5 working days"},
		{console.LangZH, 0, "当天"}, {console.LangZH, 1, "1 个工作日"}, {console.LangZH, 15, "15 个工作日"},
	} {
		if got := tt.l.Days(tt.n); got != tt.want {
			t.Errorf("%s Days(%d) = %q, want %q", tt.l, tt.n, got, tt.want)
		}
	}
}

// TestConsoleLangOnALink: ?lang= on a console link wins over the cookie,
// so that a link shared in one language opens in it.
func TestConsoleLangOnALink(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ cookie, query, want, forbidden string }{
		{"", "&lang=en", "Log out", "退出"},
		{"en", "&lang=zh", "退出", "Log out"},
		{"en", "", "Log out", "退出"},
	} {
		c := e.login("operator", password)
		c.lang = tt.cookie
		page := c.get("/console/orders?view=queue" + tt.query)
		if !strings.Contains(page, tt.want) || strings.Contains(page, tt.forbidden) {
			t.Errorf("cookie %q, link %q: want %q and not %q", tt.cookie, tt.query, tt.want, tt.forbidden)
		}
	}
}

// TestDispatchSuggestsTheUnit: the dispatch form starts on the rated unit;
// the re-dispatch form keeps the unit that had the order.
func TestDispatchSuggestsTheUnit(t *testing.T) {
	e := newEnv(t)
	number, token := e.badReview(false)
	op := e.login("operator", password)
	if m := selectedUnit.FindStringSubmatch(op.get("/console/orders/" + number)); m == nil || m[1] != unitA {
		t.Fatalf("the dispatch form starts on %v, want the rated unit %s", m, unitA)
	}
	e.must(200, "POST", "/api/v1/orders/"+number+"/dispatch", "operator", map[string]any{"unit": unitB, "complexity": "simple", "days": 0})
	e.must(200, "POST", "/api/v1/orders/"+number+"/reply", "handlerB", map[string]any{"findings": "f", "rectification": "r", "answer": "a"})
	e.citizenForm(token, map[string][]string{"satisfied": {"no"}, "reason": {"还是没解决"}})
	page := op.get("/console/orders/" + number)
	if !strings.Contains(page, `id="redispatch"`) {
		t.Fatalf("no re-dispatch form after \"not satisfied\": %.400s", page)
	}
	if m := selectedUnit.FindStringSubmatch(page); m == nil || m[1] != unitB {
		t.Errorf("the re-dispatch form starts on %v, want the previous unit %s", m, unitB)
	}
	// The audit trail names the unit the order went to, in the page's words.
	if !strings.Contains(page, "徐汇区，简单，当天") || strings.Contains(page, "unit "+unitB) {
		t.Error("the audit trail shows the dispatch by code, not in words")
	}
}
