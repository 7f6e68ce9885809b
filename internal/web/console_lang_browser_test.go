package web_test

import (
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/account"
)

// The operator's queue and order page speak one language at a time,
// follow the switch, fit a phone and pass axe-core, in both languages.
func TestBrowserConsoleOneLanguage(t *testing.T) {
	created := struct{ WorkOrder string }{tabletBadReview(t, "窗口人员态度生硬，没有说明需要补充哪些材料，让我回去再来一次")}
	staffAccount(t, "browser-lang-operator", account.Operator, "")
	ctx := desk(t)
	consoleLogin(t, ctx, "browser-lang-operator")
	for _, tt := range []struct {
		lang, nav, foreign, state, channel string
	}{
		{"zh", "待处理", "Queue", "新工单", "窗口评价器"},
		{"en", "Queue", "待处理", "New", "window tablet"},
	} {
		visit(t, ctx, "/prefs?lang="+tt.lang+"&back=/console/orders?view=queue")
		if got := text(t, ctx, "header nav"); !strings.Contains(got, tt.nav) || strings.Contains(got, tt.foreign) {
			t.Errorf("%s: the console's menu reads %q", tt.lang, got)
		}
		if got := text(t, ctx, "#orders"); !strings.Contains(got, created.WorkOrder) || !strings.Contains(got, tt.state) || !strings.Contains(got, "窗口人员态度生硬") {
			t.Errorf("%s: the queue reads %q", tt.lang, got)
		}
		widths(t, ctx, "console-queue-"+tt.lang)
		noOverflow(t, ctx, "console queue "+tt.lang)

		visit(t, ctx, "/console/orders/"+created.WorkOrder)
		if got := text(t, ctx, "#channel"); got != tt.channel {
			t.Errorf("%s: the channel reads %q, want %q", tt.lang, got, tt.channel)
		}
		if got := text(t, ctx, "#rated-unit"); got == "" || strings.Contains(got, "H3") {
			t.Errorf("%s: the rated unit reads %q: want names, not codes", tt.lang, got)
		}
		widths(t, ctx, "console-order-"+tt.lang)
		noOverflow(t, ctx, "console order "+tt.lang)
	}
	visit(t, ctx, "/prefs?lang=zh&back=/console/")
}
