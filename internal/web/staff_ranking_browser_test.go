package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
)

// The staff ranking of a district as its handler sees it. The demo spreads
// its reviews over thousands of workstations, so no one reaches the
// minimum sample: three staff of the district's centre get 35 reviews
// each, so that the page shows ranked staff above the 样本不足 ones.
func TestBrowserStaffRanking(t *testing.T) {
	rows, err := haocha.Store.DB().Query(`SELECT w.code, s.unit, hi.item FROM workstations w
		JOIN staff s ON s.code = w.staff JOIN windows wi ON wi.code = w.window_code
		JOIN hall_items hi ON hi.hall = wi.hall
		WHERE wi.hall LIKE '%-00' ORDER BY s.unit, w.code, hi.item`)
	must(t, err)
	var unit, item string
	var stations []string
	for rows.Next() && len(stations) < 3 {
		var ws, u, it string
		must(t, rows.Scan(&ws, &u, &it))
		if unit == "" {
			unit, item = u, it
		}
		if u == unit && (len(stations) == 0 || stations[len(stations)-1] != ws) {
			stations = append(stations, ws)
		}
	}
	rows.Close()
	var stage string
	must(t, haocha.Store.DB().QueryRow("SELECT code FROM stages WHERE item = ? ORDER BY code LIMIT 1", item).Scan(&stage))
	for i, ws := range stations {
		reviewsAt(t, ws, item, stage, 35, 5-i, int64(1000+i))
	}
	staffAccount(t, "ranking-handler", account.Handler, unit)
	// Two widths and two languages, each checked by axe: longer than a
	// minute on a busy machine.
	tab := tabFor(t, 4*time.Minute)
	must(t, chromedp.Do(tab, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))))
	consoleLogin(t, tab, "ranking-handler")
	visit(t, tab, "/console/staff-ranking")
	must(t, chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS("#staff-ranking"))))
	for i, want := range []string{"1", "2", "3"} {
		sel := "#staff-ranking tbody tr:nth-child(" + want + ") td"
		if got := text(t, tab, sel); got != want {
			t.Errorf("row %d's rank is %q, want %s", i+1, got, want)
		}
	}
	// The same three lead the unit's workstations across its halls, each
	// named with its hall (issue 18).
	for i, want := range []string{"1", "2", "3"} {
		row := "#station-ranking tbody tr:nth-child(" + want + ")"
		if got := text(t, tab, row+" td:nth-of-type(2)"); got != want {
			t.Errorf("workstation row %d's rank is %q, want %s", i+1, got, want)
		}
		if got := text(t, tab, row+" td:nth-of-type(1)"); !strings.HasSuffix(got, "中心") {
			t.Errorf("workstation row %d's hall is %q", i+1, got)
		}
	}
	noOverflow(t, tab, "staff ranking")
	widths(t, tab, "staff-ranking-zh")
	// A desktop sees every row; a phone the first 10 of each list, in a
	// compact row each, and a link to the page with all of them.
	for _, table := range []string{"#staff-ranking", "#station-ranking"} {
		if v, a := visibleRows(t, tab, table); v != a {
			t.Errorf("a desktop sees %d of %d rows of %s", v, a, table)
		}
	}
	must(t, chromedp.Do(tab, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
	for _, table := range []string{"#staff-ranking", "#station-ranking"} {
		if v, a := visibleRows(t, tab, table); a <= 10 || v != 10 {
			t.Errorf("a phone sees %d of %d rows of %s, want the first 10 of more than 10", v, a, table)
		}
		if got := text(t, tab, table+"-more"); !strings.HasPrefix(got, "前 10 个，共 ") {
			t.Errorf("the note under %s reads %q", table, got)
		}
	}
	must(t, chromedp.Do(tab, press("#station-ranking-more a"), chromedp.WaitReady(chromedp.CSS("#station-ranking"))))
	if v, a := visibleRows(t, tab, "#station-ranking"); v != a {
		t.Errorf("after show all a phone sees %d of %d workstations", v, a)
	}
	visit(t, tab, "/console/staff-ranking?lang=en")
	if got := text(t, tab, "#sr-stations"); !strings.HasPrefix(got, "Workstations of ") {
		t.Errorf("English heading of the workstation ranking: %q", got)
	}
	noOverflow(t, tab, "staff ranking (en)")
	widths(t, tab, "staff-ranking-en")
}
