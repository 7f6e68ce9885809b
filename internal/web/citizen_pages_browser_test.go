package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The citizen's pages of issue 11 in a real browser, in both languages, at
// a phone's and a desktop's width, each passing axe-core: the QR landing
// with the hall's items first and an as-you-type filter that knows 社保,
// the service guide, the hall page, the search, and the QR sheets.
func TestBrowserCitizenPages(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			ctx := tab(t)
			visit(t, ctx, landing(communityWS)+"&lang="+lang)
			widths(t, ctx, "qr-landing-hall-items-"+lang)
			// Typing an abbreviation filters the list as the citizen types.
			must(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#item-q"), "sb")))
			shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#item option")).filter(o => o.value && !o.hidden).map(o => o.value)`))
			must(t, err)
			if len(shown) == 0 || !allPrefixed(shown, "SHRSJ-") {
				t.Errorf("typing sb leaves %v, want the social security items", shown)
			}
			if got := text(t, ctx, "#item-count"); !strings.HasPrefix(got, fmt.Sprint(len(shown))+" ") {
				t.Errorf("item count reads %q after typing sb, want %d", got, len(shown))
			}
			word := map[string]string{"zh": "非常满意", "en": "Very satisfied"}[lang]
			if got := text(t, ctx, "#dim-accuracy .scale label:nth-child(5) span"); !strings.Contains(got, word) {
				t.Errorf("the 5 of a dimension reads %q, want %q", got, word)
			}

			visit(t, ctx, "/items/SHGA-001?lang="+lang)
			must(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#guide"))))
			noOverflow(t, ctx, "item page with its guide")
			widths(t, ctx, "item-guide-"+lang)

			visit(t, ctx, "/units/310101?lang="+lang)
			must(t, chromedp.Do(ctx, press(`a[href="/halls/`+hall+`"]`), chromedp.WaitVisible(chromedp.CSS("#window-ranking"))))
			noOverflow(t, ctx, "hall page")
			widths(t, ctx, "hall-"+lang)

			visit(t, ctx, "/?q=%E7%A4%BE%E4%BF%9D&lang="+lang)
			widths(t, ctx, "search-shebao-"+lang)

			// Large text still fits a phone.
			visit(t, ctx, "/prefs?size=large&back="+url.QueryEscape(landing(communityWS)))
			noOverflow(t, ctx, "QR landing in large text")
			widths(t, ctx, "qr-landing-large-"+lang)
		})
	}
}

// media emulates a CSS media type ("print"), or the screen again ("").
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

func allPrefixed(list []string, prefix string) bool {
	for _, s := range list {
		if !strings.HasPrefix(s, prefix) {
			return false
		}
	}
	return true
}

var pdfPageRE = regexp.MustCompile(`/Type\s*/Page[^s]`)

// Printed, a sheet has twelve codes on every page but a hall's last: a
// community hall's 35 or more codes take ceil(n/12) pages, the first full.
func TestBrowserSheetPages(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			ctx := tab(t)
			printer(t)
			consoleLogin(t, ctx, qrPrinter)
			visit(t, ctx, "/qr/sheet?all=1&lang="+lang)
			widths(t, ctx, "qr-all-districts-"+lang)
			must(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/qr/sheet?hall=H310101-01"), chromedp.WaitVisible(chromedp.CSS("#sheet-print"))))
			labels, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("figure.label").length`))
			must(t, err)
			widths(t, ctx, "qr-sheet-pages-"+lang)
			pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
			must(t, err)
			must(t, os.WriteFile(filepath.Join(repoRoot(), "testoutput", "screenshots", "qr-sheet-pages-"+lang+".pdf"), pdf, 0o644))
			want := (labels + 11) / 12
			if got := len(pdfPageRE.FindAll(pdf, -1)); got != want || labels < 10 {
				t.Errorf("%d codes printed on %d pages, want %d", labels, got, want)
			}
			// As printed, every page's codes lie within its A4 page, the
			// first page's too, and the screen-only title and tools are
			// gone.
			must(t, chromedp.Do(ctx, media("print")))
			clipped, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function () {
				var out = [];
				document.querySelectorAll(".page").forEach(function (p, i) {
					var bottom = p.getBoundingClientRect().bottom;
					p.querySelectorAll("figure.label").forEach(function (l) {
						if (l.getBoundingClientRect().bottom > bottom + 0.5) out.push("page " + (i + 1) + ": " + l.querySelector(".l-code").textContent);
					});
				});
				if (getComputedStyle(document.getElementById("sheet-print").parentNode).display !== "none") out.push("the tools are printed");
				return out;
			})()`))
			must(t, err)
			if len(clipped) > 0 {
				t.Errorf("printed, codes fall off their page: %v", clipped)
			}
			// What the printer gets, at A4's width in CSS pixels.
			must(t, chromedp.Do(ctx, chromedp.EmulateViewport(794, 1123, chromedp.EmulateScale(1))))
			screenshot(t, ctx, "qr-sheet-print-"+lang)
			must(t, chromedp.Do(ctx, media("")))
			must(t, chromedp.Do(ctx, press("#sheet-back"), chromedp.WaitVisible(chromedp.CSS(`a[href="/qr/sheet?all=1"]`))))
		})
	}
}
