package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
)

// The staff ranking of a district as its handler sees it. The demo spreads
// its reviews over thousands of workstations, so no one reaches the
// minimum sample: three staff of the district's centre get 35 reviews
// each, so that the page shows ranked staff above the 样本不足 ones.
func TestBrowserStaffRanking(t *testing.T) {
	ctx := context.Background()
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
	in := *haocha.Intake
	in.Limit, in.Detector = review.RateLimit{}, nil
	var stage string
	must(t, haocha.Store.DB().QueryRow("SELECT code FROM stages WHERE item = ? ORDER BY code LIMIT 1", item).Scan(&stage))
	for i, ws := range stations {
		for range 35 {
			anonymous := true
			sub := review.Submission{Channel: "window", Workstation: ws, Item: item, Stage: stage, Stars: 5 - i, Anonymous: &anonymous,
				QRToken: token(ws)}
			// From the window's rating device: naming a workstation takes proof of the visit.
			_, err := in.Submit(ctx, sub, intake.Client{Device: &intake.PairedDevice{ID: int64(1000 + i), Workstation: ws}})
			must(t, err)
		}
	}
	staffAccount(t, "ranking-handler", account.Handler, unit)
	tab := desk(t)
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
	visit(t, tab, "/console/staff-ranking?lang=en")
	if got := text(t, tab, "#sr-stations"); !strings.HasPrefix(got, "Workstations of ") {
		t.Errorf("English heading of the workstation ranking: %q", got)
	}
	noOverflow(t, tab, "staff ranking (en)")
	widths(t, tab, "staff-ranking-en")
}
