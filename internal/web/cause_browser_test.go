package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/workorder"
)

// The cause review in a real browser: the operator finds the unsatisfied
// order in the queue of orders awaiting a cause and records one, the
// unit's handler contests it, the supervisor changes it; each queue page
// passes axe-core and is shot at 390 and 1280 px, and the order's history
// says every step in either language.
func TestBrowserCauseReview(t *testing.T) {
	number, _ := newOrder(t)
	replyTo(t, number, "已答复")
	ctx := context.Background()
	o, err := haocha.Store.OrderByNumber(ctx, number)
	must(t, err)
	no := false
	svc := workorder.NewService(haocha.Store, haocha.Store.Now)
	if _, err := svc.Act(ctx, account.Actor{Role: account.Operator, Name: "t"}, o.ID, workorder.ActFollowUp,
		workorder.Input{Satisfied: &no, Reason: "还是要排队"}); err != nil {
		t.Fatal(err)
	}
	staffAccount(t, "cause-operator", account.Operator, "")
	staffAccount(t, "cause-handler", account.Handler, "SHGA")
	staffAccount(t, "cause-supervisor", account.Supervisor, "")
	link := `a[href="/console/orders/` + number + `"]`
	step := func(login, shot, form string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c := desk(t)
		consoleLogin(t, c, login)
		visit(t, c, "/console/causes")
		if !strings.Contains(text(t, c, "#causes"), number) {
			t.Fatalf("%s's cause page does not list %s", login, number)
		}
		widths(t, c, shot)
		must(t, chromedp.Do(c, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1)),
			chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS(form))))
		must(t, chromedp.Do(c, append(fill, chromedp.Click(chromedp.CSS(form+" button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#history")))...))
	}
	step("cause-operator", "console-causes-operator", "#cause-form",
		chromedp.SetValue(chromedp.CSS("#ca-cause"), "careless"), chromedp.SendKeys(chromedp.CSS("#ca-note"), "答复未回应排队问题"))
	step("cause-handler", "console-causes-handler", "#cause-contest-form",
		chromedp.SendKeys(chromedp.CSS("#cc-reason"), "排队系统属市级平台"))
	step("cause-supervisor", "console-causes-supervisor", "#cause-decision-form",
		choose("#cd-no"), chromedp.SetValue(chromedp.CSS("#cd-cause"), "outside_remit"), chromedp.SendKeys(chromedp.CSS("#cd-note"), "排队系统不属本单位"))

	c := desk(t)
	consoleLogin(t, c, "cause-supervisor")
	for lang, want := range map[string][]string{
		"zh": {"记录不满意原因", "敷衍塞责", "单位申辩不满意原因", "排队系统属市级平台", "改定原因", "不属本单位职责"},
		"en": {"recorded the cause of dissatisfaction", "handled carelessly", "the unit contested the cause", "cause changed", "outside the unit's remit"},
	} {
		visit(t, c, "/console/orders/"+number+"?lang="+lang)
		history := text(t, c, "#history")
		for _, w := range want {
			if !strings.Contains(history, w) {
				t.Errorf("the history in %s lacks %q: %s", lang, w, history)
			}
		}
		if got := text(t, c, "#cause-code"); !strings.Contains(got, map[string]string{"zh": "单位无责", "en": "unit not at fault"}[lang]) {
			t.Errorf("the cause in %s reads %q", lang, got)
		}
		widths(t, c, "console-order-cause-"+lang)
	}
}
