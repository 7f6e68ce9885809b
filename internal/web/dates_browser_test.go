package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserDatesDoNotBreakInLargeText: on the follow page at 390 px, with
// the browser's text at 200% (a default font of 32 px, as a citizen with
// poor sight sets it), no date or time runs over two lines ("2026-" /
// "12-06"), in either language, and nothing scrolls sideways. (The site's
// own large text on top of that, 48 px letters, is beyond a phone: a work
// order number alone is wider than the screen.)
func TestBrowserDatesDoNotBreakInLargeText(t *testing.T) {
	ctx := tabFor(t, 2*time.Minute)
	_, link := newOrder(t)
	_, err := chromedp.Call(ctx, page.SetFontSizes, page.SetFontSizesParams{FontSizes: &page.FontSizes{Standard: 32, Fixed: 26}})
	must(t, err)
	for _, size := range []string{"normal"} {
		for _, lang := range []string{"zh", "en"} {
			visit(t, ctx, "/prefs?size="+size+"&lang="+lang+"&back=/")
			atWidth(t, ctx, 390)
			visit(t, ctx, strings.TrimPrefix(link, srv.URL))
			font, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.querySelector(".follow-facts dd .nowrap")).fontSize)`))
			must(t, err)
			if font < 30 {
				t.Fatalf("the dates are set at %.0f px; the test wants 200%% text (32 px or more)", font)
			}
			// Each date and time, and the due date's box: how many lines.
			broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#main .nowrap")).filter(e => {
				const r = document.createRange(); r.selectNodeContents(e);
				return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size > 1 }).map(e => e.textContent)`))
			must(t, err)
			dates, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#main .nowrap").length`))
			must(t, err)
			if dates < 6 {
				t.Errorf("%s, %s text: %d dates and times marked to keep on one line, want those of opened, updated and the story", lang, size, dates)
			}
			if len(broken) > 0 {
				t.Errorf("%s, %s text at 200%%: dates broken over lines: %v", lang, size, broken)
			}
			noSideways(t, ctx, fmt.Sprintf("the follow page (%s, %s text at 200%%)", lang, size))
			screenshot(t, ctx, "follow-200pct-"+size+"-"+lang+"-390")
		}
	}
	visit(t, ctx, "/prefs?size=normal&lang=zh&back=/")
}
