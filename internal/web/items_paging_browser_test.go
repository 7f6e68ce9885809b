package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserItemsPages: /items's pager in a real browser, in Chinese and
// English, on a phone and a desktop: the next page is reached with the
// keyboard, passes axe-core and leaves its screenshots.
func TestBrowserItemsPages(t *testing.T) {
	ctx := tab(t)
	visit(t, ctx, "/items")
	noOverflow(t, ctx, "items page")
	widths(t, ctx, "items-page1")
	must(t, chromedp.Do(ctx, press(`.pager a[rel="next"]`), chromedp.WaitVisible(chromedp.CSS(".pager a:not([rel])"))))
	if got := text(t, ctx, ".pager"); !strings.Contains(got, "回到第一页") || !strings.Contains(got, "下一页") {
		t.Errorf("the second page's pager says %q", got)
	}
	widths(t, ctx, "items-page2")
	visit(t, ctx, "/prefs?lang=en&back=/items")
	if got := text(t, ctx, ".pager"); got != "Next page →" {
		t.Errorf("the English first page's pager says %q", got)
	}
	widths(t, ctx, "items-page1-en")
}
