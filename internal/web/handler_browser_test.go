package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/routing"
)

// realNameBadReview sends a real-name 1-star review from the workstation's
// rating device and returns its work order's number and private link.
func realNameBadReview(t *testing.T, tags []string, comment, name, phone string) (number, followUp string) {
	t.Helper()
	number, proof := served(t, workstation)
	body, _ := json.Marshal(map[string]any{"transaction": number, "transaction_proof": proof, "channel": "tablet", "workstation": workstation, "item": item, "stage": "acceptance",
		"stars": 1, "tags": tags, "comment": comment, "anonymous": false, "name": name, "phone": phone, "qr_token": token(workstation)})
	resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(body))
	must(t, err)
	defer resp.Body.Close()
	var created struct {
		WorkOrder string `json:"work_order"`
		FollowUp  string `json:"follow_up"`
	}
	must(t, json.NewDecoder(resp.Body).Decode(&created))
	if created.WorkOrder == "" {
		t.Fatalf("no work order: %d", resp.StatusCode)
	}
	return created.WorkOrder, created.FollowUp
}

// The staff's day around one order, in a real browser: the operator
// dispatches from the queue with the suggested unit and a note; the unit's
// handler reads the note in the order's history, sees a masked phone and
// asks the operator to call; the operator finds the request in the queue
// and on the order page, with the number, and marks the call done. The
// pages pass axe-core and are shot at 390 and 1280 px in both languages.
func TestBrowserHandlerDay(t *testing.T) {
	number, _ := realNameBadReview(t, []string{"materials"}, "要求提供网上没有列出的材料", "周女士", "13600002222")
	ctx := context.Background()
	o, err := haocha.Store.OrderByNumber(ctx, number)
	must(t, err)
	rv, err := haocha.Store.OrderReview(ctx, o.Review)
	must(t, err)
	unit := rv.Unit
	// A rule for the item, so the order page offers a second unit.
	must(t, haocha.Store.PutRoutingRule(ctx, routing.Rule{Kind: routing.ByItem, Key: item, Unit: "SHGA", UpdatedAt: time.Now(), UpdatedBy: "test"}))
	staffAccount(t, "day-operator", account.Operator, "")
	staffAccount(t, "day-handler", account.Handler, unit)

	// The operator: the queue suggests the unit; the order page starts on it.
	op := desk(t)
	consoleLogin(t, op, "day-operator")
	visit(t, op, "/console/orders?view=queue&state=new&limit=200")
	row := text(t, op, `#orders tr:has(a[href="/console/orders/`+number+`"])`)
	if !strings.Contains(row, "建议派往") {
		t.Errorf("the queue's row of %s suggests no unit: %q", number, row)
	}
	must(t, chromedp.Do(op, chromedp.Click(chromedp.CSS(`a[href="/console/orders/`+number+`"]`)), chromedp.WaitVisible(chromedp.CSS("#dispatch"))))
	if got := text(t, op, "#suggested"); !strings.Contains(got, "被评价单位") || !strings.Contains(got, "事项规则") {
		t.Errorf("the order page suggests %q, want the rated unit and the item rule", got)
	}
	sel, err := chromedp.Run(op, chromedp.Value(chromedp.CSS("#a-unit")))
	must(t, err)
	if sel != unit {
		t.Errorf("the dispatch form starts on %q, want the rated unit %s", sel, unit)
	}
	widths(t, op, "console-order-suggested-zh")
	note := "请核对办事指南的材料清单"
	must(t, chromedp.Do(op,
		chromedp.SetValue(chromedp.CSS("#a-complexity"), "simple"),
		chromedp.SetValue(chromedp.CSS("#a-days"), "1"),
		chromedp.SendKeys(chromedp.CSS("#a-note"), note),
		chromedp.Click(chromedp.CSS("#dispatch button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	))

	// The handler: the note in the history, a masked phone, a call request.
	h := desk(t)
	consoleLogin(t, h, "day-handler")
	visit(t, h, "/console/orders/"+number)
	if got := text(t, h, "#history"); !strings.Contains(got, note) {
		t.Errorf("the handler's history reads %q, want the operator's note", got)
	}
	if got := text(t, h, "#reviewer"); strings.Contains(got, "13600002222") || !strings.Contains(got, "136****2222") {
		t.Errorf("the handler sees the reviewer as %q", got)
	}
	for _, lang := range []string{"en", "zh"} {
		visit(t, h, "/prefs?lang="+lang+"&back=/console/orders/"+number)
		widths(t, h, "console-order-handler-"+lang)
	}
	must(t, chromedp.Do(h,
		chromedp.SendKeys(chromedp.CSS("#cr-note"), "请告知市民我们今天下午回电"),
		chromedp.Click(chromedp.CSS("#call-request button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	))
	if got := text(t, h, "#calls"); !strings.Contains(got, "等待话务员联系") {
		t.Errorf("after the request the handler reads %q", got)
	}
	widths(t, h, "console-order-call-requested-zh")

	// The operator: the request in the queue, the number on the page.
	visit(t, op, "/console/orders?view=queue&limit=200")
	if got := text(t, op, "#open-calls"); !strings.Contains(got, number) {
		t.Fatalf("the operator's queue lists calls %q, want %s", got, number)
	}
	widths(t, op, "console-queue-calls-zh")
	must(t, chromedp.Do(op, chromedp.Click(chromedp.CSS(`#open-calls a[href^="/console/orders/`+number+`"]`)), chromedp.WaitVisible(chromedp.CSS("#calls"))))
	if got := text(t, op, "#reviewer"); !strings.Contains(got, "13600002222") {
		t.Errorf("the operator sees the reviewer as %q", got)
	}
	if got := text(t, op, "#calls"); !strings.Contains(got, "请告知市民我们今天下午回电") {
		t.Errorf("the operator's order page shows calls %q", got)
	}
	visit(t, op, "/prefs?lang=en&back=/console/orders/"+number)
	widths(t, op, "console-order-call-operator-en")
	visit(t, op, "/prefs?lang=zh&back=/console/orders/"+number)
	widths(t, op, "console-order-call-operator-zh")
	must(t, chromedp.Do(op,
		choose(".call-done input[value=yes]"),
		chromedp.Click(chromedp.CSS(".call-done button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	))
	if o, _ := haocha.Store.OrderByNumber(ctx, number); o.ContactedAt.IsZero() {
		t.Error("the operator's call is not the order's first contact")
	}
	visit(t, h, "/console/orders/"+number)
	if got := text(t, h, "#history"); !strings.Contains(got, "首次联系") {
		t.Errorf("the handler's history after the call reads %q", got)
	}
}

// The administrator's routing rules and the supervisor's summary, in both
// languages, at a phone's and a desktop's width.
func TestBrowserRoutingAndSummary(t *testing.T) {
	staffAccount(t, "routing-admin", account.Admin, "")
	staffAccount(t, "summary-supervisor", account.Supervisor, "")
	a := desk(t)
	consoleLogin(t, a, "routing-admin")
	visit(t, a, "/console/routing")
	if got := text(t, a, "#routing-rules"); strings.Contains(got, "SHGA-") || strings.Contains(got, "H310") {
		t.Errorf("the rules show codes: %q", got)
	}
	for _, lang := range []string{"en", "zh"} {
		visit(t, a, "/prefs?lang="+lang+"&back=/console/routing")
		widths(t, a, "console-routing-"+lang)
	}
	s := desk(t)
	consoleLogin(t, s, "summary-supervisor")
	for _, lang := range []string{"en", "zh"} {
		visit(t, s, "/prefs?lang="+lang+"&back=/console/summary?from=2020-01-01")
		if got := text(t, s, "#supervision"); got == "" {
			t.Errorf("%s: no supervision view", lang)
		}
		widths(t, s, "console-summary-"+lang)
		noOverflow(t, s, "console summary "+lang)
	}
}
