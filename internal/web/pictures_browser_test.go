package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
)

// The pictures in a real browser, on a phone (390 px) and a desktop
// (1280 px): each page passes axe-core and leaves its screenshots.

// widths shoots the page at a phone's and a desktop's width.
func widths(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
	checkA11y(t, ctx, name+" (390 px)")
	screenshot(t, ctx, name+"-390")
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))))
	checkA11y(t, ctx, name+" (1280 px)")
	screenshot(t, ctx, name+"-1280")
}

// noOverflow fails when the page scrolls sideways at its width: a cut
// label or a chart wider than the screen.
func noOverflow(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
	must(t, err)
	if wide {
		what, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))`))
		must(t, err)
		t.Errorf("%s scrolls sideways at 390 px: %v stick out", name, what)
	}
}

func TestBrowserIndexPictures(t *testing.T) {
	ctx := tab(t)
	visit(t, ctx, "/")
	must(t, chromedp.Do(ctx, press("#index-link"), chromedp.WaitVisible(chromedp.CSS("#district-ranking"))))
	if got := text(t, ctx, "h1"); got != "评价指数排名" {
		t.Errorf("index page heading %q", got)
	}
	noOverflow(t, ctx, "index page")
	widths(t, ctx, "index-zh")
	must(t, chromedp.Do(ctx, press("#switch-lang"), chromedp.WaitVisible(chromedp.CSS("#district-ranking"))))
	if got := text(t, ctx, "h1"); got != "Evaluation index rankings" {
		t.Errorf("index page heading in English %q", got)
	}
	widths(t, ctx, "index-en")

	visit(t, ctx, "/units/310115")
	if got := text(t, ctx, "#score-h"); got != "Evaluation index" {
		t.Errorf("unit page index heading %q", got)
	}
	noOverflow(t, ctx, "unit page")
	widths(t, ctx, "unit-index-en")
	must(t, chromedp.Do(ctx, press("#switch-lang"), chromedp.WaitVisible(chromedp.CSS("#score-index"))))
	widths(t, ctx, "unit-index-zh")
	visit(t, ctx, "/items/SHGA-001")
	widths(t, ctx, "item-index-zh")
}

func TestBrowserDashboard(t *testing.T) {
	staffAccount(t, "dashboard-supervisor", account.Supervisor, "")
	ctx := desk(t)
	consoleLogin(t, ctx, "dashboard-supervisor")
	must(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#dash-index"))))
	noOverflow(t, ctx, "dashboard")
	widths(t, ctx, "dashboard-zh")
	must(t, chromedp.Do(ctx, press("#dash-switch"), chromedp.WaitVisible(chromedp.CSS("#dash-index"))))
	if got := text(t, ctx, "#overview-h"); got != "The city" {
		t.Errorf("dashboard in English shows %q", got)
	}
	widths(t, ctx, "dashboard-en")
	must(t, chromedp.Do(ctx, press("#dash-overdue"), chromedp.WaitVisible(chromedp.CSS("#orders"))))
}
