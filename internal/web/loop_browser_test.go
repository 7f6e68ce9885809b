package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/workorder"
)

// The closed loop in a real browser: the operator logs in and dispatches,
// the unit's handler logs in and replies, and the citizen's private link
// shows the reply and takes "satisfied".

const consolePassword = "browser test password"

// staffAccount creates an account for the browser test.
func staffAccount(t *testing.T, name string, role account.Role, unit string) {
	t.Helper()
	hash, err := account.HashPassword(consolePassword)
	must(t, err)
	u := &account.User{Login: name, Role: role, Unit: unit, PasswordHash: hash}
	must(t, haocha.Store.CreateUser(context.Background(), u, "test"))
}

// desk is a tab with a desktop screen, as staff use the consoles.
func desk(t *testing.T) context.Context {
	t.Helper()
	ctx := tab(t)
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))))
	return ctx
}

// consoleLogin fills the console's login form.
func consoleLogin(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	visit(t, ctx, "/console/login")
	checkA11y(t, ctx, "console login")
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.SendKeys(chromedp.CSS("#password"), consolePassword),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#logout")),
	))
}

func TestBrowserWorkOrderLoop(t *testing.T) {
	// A bad review from a workstation's rating device, real-name.
	number, followUp := realNameBadReview(t, []string{"multiple_trips"}, "材料清单不一致，跑了三次", "陈先生", "13700001111")
	o, err := haocha.Store.OrderByNumber(context.Background(), number)
	must(t, err)
	rv, err := haocha.Store.OrderReview(context.Background(), o.Review)
	must(t, err)
	unit := rv.Unit
	staffAccount(t, "browser-operator", account.Operator, "")
	staffAccount(t, "browser-handler", account.Handler, unit)

	// The operator finds the order in the queue and dispatches it.
	op := desk(t)
	consoleLogin(t, op, "browser-operator")
	if got := text(t, op, "#orders"); !strings.Contains(got, number) {
		t.Fatalf("the operator's queue lacks %s", number)
	}
	checkA11y(t, op, "operator queue")
	screenshot(t, op, "console-queue")
	must(t, chromedp.Do(op, chromedp.Click(chromedp.CSS(`a[href="/console/orders/`+number+`"]`)), chromedp.WaitVisible(chromedp.CSS("#dispatch"))))
	if got := text(t, op, "#reviewer"); !strings.Contains(got, "13700001111") {
		t.Errorf("the operator sees the reviewer as %q", got)
	}
	checkA11y(t, op, "operator order page")
	screenshot(t, op, "console-order-operator")
	must(t, chromedp.Do(op,
		chromedp.SetValue(chromedp.CSS("#a-unit"), unit),
		chromedp.SetValue(chromedp.CSS("#a-complexity"), "simple"),
		chromedp.SetValue(chromedp.CSS("#a-days"), "1"),
		chromedp.Click(chromedp.CSS("#dispatch button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	))
	if got := text(t, op, "#state"); !strings.Contains(got, "已转办") {
		t.Errorf("after dispatch the state reads %q", got)
	}

	// The unit's handler sees it, phone masked, and replies.
	h := desk(t)
	consoleLogin(t, h, "browser-handler")
	visit(t, h, "/console/orders/"+number)
	if got := text(t, h, "#reviewer"); strings.Contains(got, "13700001111") || !strings.Contains(got, "137****1111") {
		t.Errorf("the unit sees the reviewer as %q", got)
	}
	checkA11y(t, h, "handler order page")
	answer := "经核查，窗口材料清单与网上办事指南不一致，已统一并向您致歉。"
	must(t, chromedp.Do(h,
		chromedp.SendKeys(chromedp.CSS("#findings"), "窗口材料清单与办事指南不一致"),
		chromedp.SendKeys(chromedp.CSS("#rectification"), "统一材料清单，全员培训"),
		chromedp.SendKeys(chromedp.CSS("#answer"), answer),
		chromedp.Click(chromedp.CSS("#reply-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	))
	if got := text(t, h, "#state"); !strings.Contains(got, "已答复") {
		t.Errorf("after the reply the state reads %q", got)
	}
	screenshot(t, h, "console-order-replied")

	// The citizen's private link shows the reply and takes "satisfied".
	c := tab(t)
	visit(t, c, followUp)
	if got := text(t, c, "#reply-answer"); got != answer {
		t.Errorf("the citizen reads the answer %q", got)
	}
	checkA11y(t, c, "follow-up with reply")
	screenshot(t, c, "follow-replied-zh")
	must(t, chromedp.Do(c,
		chromedp.Click(chromedp.CSS("#satisfied-yes")),
		chromedp.Click(chromedp.CSS("#follow-submit")),
		chromedp.WaitVisible(chromedp.CSS("#follow-done")),
	))
	if got := text(t, c, "#state"); got != "已办结" {
		t.Errorf("after 'satisfied' the state reads %q", got)
	}
	screenshot(t, c, "follow-closed-zh")
	if o, _ := haocha.Store.OrderByNumber(context.Background(), number); o.State != workorder.Closed {
		t.Errorf("stored state %s, want closed", o.State)
	}
}
