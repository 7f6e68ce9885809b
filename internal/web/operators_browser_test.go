package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
)

// TestBrowserOperatorsAndWorkstations: the operators' own figures beside
// the centre's board, as the General Office reads them, and a hall's
// workstation ranking, read on a phone (390 px) and a desk (1280 px):
// nothing wider than the screen, no serious accessibility fault (issue 18).
func TestBrowserOperatorsAndWorkstations(t *testing.T) {
	staffAccount(t, "operators-supervisor", account.Supervisor, "")
	tab := desk(t)
	consoleLogin(t, tab, "operators-supervisor")
	visit(t, tab, "/console/operators")
	must(t, chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS("#operators"))))
	if got := text(t, tab, "#operators tbody tr:first-child th"); got == "" {
		t.Error("no operator on the page")
	}
	noOverflow(t, tab, "operators")
	widths(t, tab, "operators-zh")

	visit(t, tab, "/halls/"+hall+"?period=year")
	must(t, chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS("#workstation-ranking"))))
	// The hall's page lists hundreds of workstations: no screenshot of
	// it (TestBrowserPublicPagesOnAPhone takes the hall's), a check at
	// phone width.
	noOverflow(t, tab, "hall workstations")
	checkA11y(t, tab, "hall workstations (390 px)")
}
