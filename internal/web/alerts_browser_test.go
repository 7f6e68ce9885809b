package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
)

// The General Office's alert queue in a real browser, at a phone's width
// and a desk's: the demo's planted concentrations are there by name, an
// alert lists its reviews, and acknowledging it changes its state.
func TestBrowserAlertQueue(t *testing.T) {
	staffAccount(t, "browser-supervisor", account.Supervisor, "")
	for _, width := range []struct {
		name string
		px   int64
	}{{"phone", 390}, {"desktop", 1280}} {
		ctx := tab(t)
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(width.px, 900, chromedp.EmulateScale(1))))
		consoleLogin(t, ctx, "browser-supervisor")
		visit(t, ctx, "/console/alerts")
		queue := text(t, ctx, "#alerts")
		for _, want := range []string{"同一工位差评集中", "同一大厅同类问题集中", "待处理"} {
			if !strings.Contains(queue, want) {
				t.Errorf("%s: the alert queue lacks %q: %s", width.name, want, queue)
			}
		}
		checkA11y(t, ctx, "alert queue "+width.name)
		screenshot(t, ctx, "console-alerts-"+width.name)
		must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#alerts tbody a")), chromedp.WaitVisible(chromedp.CSS("#alert-reviews"))))
		if got := text(t, ctx, "#alert-reviews"); !strings.Contains(got, "★") {
			t.Errorf("%s: the alert's reviews read %q", width.name, got)
		}
		checkA11y(t, ctx, "alert page "+width.name)
		screenshot(t, ctx, "console-alert-"+width.name)
		if width.name == "desktop" {
			must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#acknowledge button")), chromedp.WaitVisible(chromedp.CSS("#done"))))
			if got := text(t, ctx, "#alert-state"); got != "已确认" {
				t.Errorf("after acknowledging, the state reads %q", got)
			}
		}
	}
}

// The administrator edits a rule on the rules page; a bad value is refused
// naming its field.
func TestBrowserAlertRules(t *testing.T) {
	staffAccount(t, "browser-admin", account.Admin, "")
	ctx := desk(t)
	consoleLogin(t, ctx, "browser-admin")
	visit(t, ctx, "/console/rules")
	checkA11y(t, ctx, "alert rules")
	screenshot(t, ctx, "console-rules-desktop")
	must(t, chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#w-new"), "7"),
		chromedp.SetValue(chromedp.CSS("#t-new"), "0"),
		chromedp.Click(chromedp.CSS("#rule-new button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#error")),
	))
	// The box says what went wrong in the page's language and names the
	// field in its details.
	detail, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#error")))
	must(t, err)
	if got := text(t, ctx, "#error"); !strings.Contains(got, "填写的内容有误") || !strings.Contains(detail, "threshold") {
		t.Errorf("a threshold of 0 is refused with %q", got)
	}
	must(t, chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#t-1"), "4"),
		chromedp.Click(chromedp.CSS("#rule-1 button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	))
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#t-1")))
	must(t, err)
	if v != "4" {
		t.Errorf("rule 1's threshold reads %q after saving 4", v)
	}
}
