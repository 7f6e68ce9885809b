package web_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserThemesOnPublicPages: a district's and a hall's pages show
// their complaint themes and the trend in either language, readable at
// 390 px with nothing scrolling sideways, pass axe-core, and are shot at
// 390 and 1280 px, whole and the themes section alone.
func TestBrowserThemesOnPublicPages(t *testing.T) {
	classified(t)
	ctx := tabFor(t, 3*time.Minute)
	heading := map[string]string{"zh": "差评主题", "en": "Complaint themes"}
	trend := map[string]string{"zh": "主要差评主题逐月走势", "en": "Main complaint themes by month"}
	for _, lang := range []string{"zh", "en"} {
		visit(t, ctx, "/prefs?lang="+lang+"&back=/")
		for _, p := range []struct{ name, path string }{{"district", "/units/310101"}, {"hall", "/halls/" + hall}} {
			for _, w := range []int64{390, 1280} {
				atWidth(t, ctx, w)
				visit(t, ctx, p.path)
				must(t, chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS("#themes"))))
				got := text(t, ctx, "#themes")
				if !strings.Contains(got, heading[lang]) || !strings.Contains(got, trend[lang]) {
					t.Errorf("%s %s at %d px: the themes read %q", p.name, lang, w, got)
				}
				if w == 390 {
					noSideways(t, ctx, p.name+" "+lang)
					checkA11y(t, ctx, p.name+" themes "+lang)
				}
				name := "themes-" + p.name + "-" + lang + "-" + strconv.FormatInt(w, 10)
				screenshot(t, ctx, name)
				// The section alone too: the hall's page is some 15000 px
				// tall at 390.
				png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#themes")))
				must(t, err)
				must(t, os.WriteFile(filepath.Join(repoRoot(), "testoutput", "screenshots", name+"-section.png"), png, 0o644))
			}
		}
	}
}
