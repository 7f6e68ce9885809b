package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/index"
)

// atWidth sets the tab's width, and a screen's height to go with it.
func atWidth(t *testing.T, ctx context.Context, w int64) {
	t.Helper()
	h := int64(844)
	if w > 800 {
		h = 900
	}
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, h, chromedp.EmulateScale(1))))
}

// noSideways fails when the page, or any box in it, scrolls sideways.
func noSideways(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.documentElement].concat(Array.from(document.querySelectorAll("#main *")))
		.filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && getComputedStyle(e).overflowX !== "hidden" && getComputedStyle(e).overflowX !== "visible" || e === document.documentElement && e.scrollWidth > window.innerWidth)
		.map(e => e.tagName + (e.id ? "#" + e.id : "") + "." + e.className)`))
	must(t, err)
	if len(wide) > 0 {
		t.Errorf("%s scrolls sideways at %d px: %v", name, 390, wide)
	}
}

// TestBrowserPublicPagesOnAPhone opens the public pages at 390 px in
// both languages: the rankings show n, 好评率 and 差评率 on the screen with
// no box to scroll sideways, ranks say among what, item codes stay off
// the lists, and in large text an order number stays on one line.
// Each page is saved at 390 and 1280 px.
func TestBrowserPublicPagesOnAPhone(t *testing.T) {
	ctx := tabFor(t, 5*time.Minute)
	codeRE := regexp.MustCompile(`\b[A-Z]{2,}-\d{3}\b`)
	top := recentBoard(t, index.District).Ranked[0]
	for _, lang := range []string{"zh", "en"} {
		visit(t, ctx, "/prefs?lang="+lang+"&back=/")
		pages := []struct{ name, path, table string }{
			{"index", "/index", "#district-ranking"},
			{"hall", "/halls/" + hall, "table.ranking"},
			{"items-search", "/items?q=" + url.QueryEscape(map[string]string{"zh": "身份证", "en": "ID card"}[lang]), ""},
			{"unit", "/units/" + top.Code, ""},
			{"home-search", "/?q=" + url.QueryEscape(map[string]string{"zh": "户籍", "en": "passport"}[lang]), ""},
			{"qr-landing", landing(otherWS), ""},
		}
		for _, p := range pages {
			atWidth(t, ctx, 390)
			visit(t, ctx, p.path)
			noSideways(t, ctx, p.path)
			if p.table != "" {
				// The first row's n, 好评率 and 差评率 are on the screen.
				cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`Array.from(document.querySelector(%q).querySelectorAll("tbody tr:first-child td[data-label]")).slice(0, 3)
					.map(td => { const r = td.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth ? 1 : 0 })`, p.table)))
				must(t, err)
				if len(cells) != 3 || cells[0]+cells[1]+cells[2] != 3 {
					t.Errorf("%s (%s) at 390 px: n, good and bad rates on screen: %v, want all three", p.path, lang, cells)
				}
			}
			main := text(t, ctx, "#main")
			if code := codeRE.FindString(main); code != "" {
				t.Errorf("%s (%s) shows the code %s", p.path, lang, code)
			}
			checkA11y(t, ctx, p.path+" at 390 px")
			screenshot(t, ctx, fmt.Sprintf("phone-%s-%s-390", p.name, lang))
			atWidth(t, ctx, 1280)
			screenshot(t, ctx, fmt.Sprintf("phone-%s-%s-1280", p.name, lang))
		}
		visit(t, ctx, "/units/"+top.Code)
		want := map[string]string{"zh": "个区", "en": " districts"}[lang]
		if got := text(t, ctx, "#score-rank"); !strings.Contains(got, want) {
			t.Errorf("a district's rank reads %q in %s; want it to say among what (%q)", got, lang, want)
		}

		// The five-star receipt, at both widths.
		atWidth(t, ctx, 390)
		visit(t, ctx, "/items/SHMZ-002/rate")
		must(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#stage"), "decision"), choose("#stars-5"),
			choose(`#dim-efficiency input[value="5"]`), press("#submit"), chromedp.WaitVisible(chromedp.CSS("#rated"))))
		noSideways(t, ctx, "the five-star receipt")
		screenshot(t, ctx, "phone-thanks-good-"+lang+"-390")
		atWidth(t, ctx, 1280)
		screenshot(t, ctx, "phone-thanks-good-"+lang+"-1280")
	}

	// In large text the order number keeps to one line.
	number, link := newOrder(t)
	visit(t, ctx, "/prefs?size=large&back=/")
	for _, lang := range []string{"zh", "en"} {
		visit(t, ctx, "/prefs?lang="+lang+"&back=/")
		atWidth(t, ctx, 390)
		visit(t, ctx, strings.TrimPrefix(link, srv.URL))
		if got := text(t, ctx, "#work-order"); got != number {
			t.Fatalf("the follow page shows %q, want %s", got, number)
		}
		lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { const r = document.createRange();
			r.selectNodeContents(document.getElementById("work-order")); return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size })()`))
		must(t, err)
		if lines != 1 {
			t.Errorf("in large text at 390 px (%s) the order number runs over %d lines", lang, lines)
		}
		noSideways(t, ctx, "the follow page in large text")
		screenshot(t, ctx, "phone-follow-large-"+lang+"-390")
		atWidth(t, ctx, 1280)
		screenshot(t, ctx, "phone-follow-large-"+lang+"-1280")
	}
	visit(t, ctx, "/prefs?size=normal&lang=zh&back=/")
}
