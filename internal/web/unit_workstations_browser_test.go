package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// visibleRows counts the rows of the table sel a reader sees, and all of
// them.
func visibleRows(t *testing.T, tab context.Context, sel string) (visible, all int) {
	t.Helper()
	n, err := chromedp.Run(tab, chromedp.Evaluate[[]int](`(() => { const rows = Array.from(document.querySelectorAll(`+"`"+sel+" tbody tr`"+`));
		return [rows.filter(r => r.getClientRects().length > 0).length, rows.length]; })()`))
	must(t, err)
	return n[0], n[1]
}

// isShown reports whether the element sel takes up room on the page.
func isShown(t *testing.T, tab context.Context, sel string) bool {
	t.Helper()
	shown, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+"`"+sel+"`"+`); return !!e && e.getClientRects().length > 0; })()`))
	must(t, err)
	return shown
}

// A district's page on a phone: its workstations ranked across its halls,
// the period said, the first ten of them with a link to all, which shows
// them all (on a desktop too); the year a link away; in both languages,
// readable by axe, without sideways scrolling (issue 18).
func TestBrowserUnitWorkstations(t *testing.T) {
	const table = "#unit-workstation-ranking"
	tab := tabFor(t, 4*time.Minute) // two widths and languages, each checked by axe
	must(t, chromedp.Do(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
	visit(t, tab, "/units/310104?lang=zh")
	must(t, chromedp.Do(tab, chromedp.WaitReady(chromedp.CSS(table))))
	if got := text(t, tab, "#unit-workstations-h"); got != "各大厅工位评价" {
		t.Errorf("heading %q", got)
	}
	if got := text(t, tab, "#unit-workstations-period"); !strings.HasPrefix(got, "统计期 本季度 ") {
		t.Errorf("the ranking does not say it is the quarter's: %q", got)
	}
	visible, shown := visibleRows(t, tab, table)
	var all int
	if _, err := fmt.Sscanf(text(t, tab, table+"-more"), "前 10 个，共 %d 个", &all); err != nil || all <= 10 || visible != 10 || shown != 10 {
		t.Fatalf("a phone sees %d of %d rows, and the note under them says %q, want the first 10 of more than 10",
			visible, shown, text(t, tab, table+"-more"))
	}
	if got := text(t, tab, table+" tbody tr:first-child th a.in-hall"); !strings.HasSuffix(got, "中心") {
		t.Errorf("the first workstation's hall is %q", got)
	}
	noOverflow(t, tab, "unit page")
	widths(t, tab, "unit-workstations-zh")

	// A desktop too: the unit's own figures come first, not hundreds of rows.
	if v, a := visibleRows(t, tab, table); v != 10 || a != 10 || !isShown(t, tab, table+"-more") {
		t.Errorf("a desktop sees %d of %d rows, or no link to all", v, a)
	}

	// The link shows every row, on the phone too.
	must(t, chromedp.Do(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1)),
		press(table+"-more a"), chromedp.WaitReady(chromedp.CSS(table))))
	if v, a := visibleRows(t, tab, table); v != a || a != all {
		t.Errorf("after show all a phone sees %d of %d rows, want all %d", v, a, all)
	}
	if isShown(t, tab, table+"-more") {
		t.Error("the page with every row still offers to show all")
	}

	// The year, in English.
	must(t, chromedp.Do(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
	visit(t, tab, "/units/310104?lang=en")
	must(t, chromedp.Do(tab, press(`section[aria-labelledby="unit-workstations-h"] nav.spans a:not([aria-current])`), chromedp.WaitReady(chromedp.CSS(table))))
	if got := text(t, tab, "#unit-workstations-period"); !strings.HasPrefix(got, "Period This year ") {
		t.Errorf("the year's ranking says %q", got)
	}
	if got := text(t, tab, "#unit-workstations-h"); got != "Results by workstation, across the unit's halls" {
		t.Errorf("English heading %q", got)
	}
	noOverflow(t, tab, "unit page (en)")
	widths(t, tab, "unit-workstations-en")
}
