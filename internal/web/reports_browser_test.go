package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/report"
)

// TestBrowserReports: the supervisor's issued reports, the print view of
// one, and the year-end assessment, at desktop and phone width, each
// through axe-core.
func TestBrowserReports(t *testing.T) {
	ctx := context.Background()
	st := haocha.Store
	yesterday := st.Now().AddDate(0, 0, -1)
	p, err := report.ParsePeriod(yesterday.Format("2006-01"))
	must(t, err)
	r, err := report.Build(ctx, st, nil, p, st.Now())
	must(t, err)
	files, err := r.Issue()
	must(t, err)
	_, err = st.SaveReports(ctx, files, "scheduler")
	must(t, err)
	staffAccount(t, "sup-reports", account.Supervisor, "")
	year := strconv.Itoa(yesterday.Year())
	for _, width := range []int64{1280, 390} {
		c := tab(t)
		must(t, chromedp.Do(c, chromedp.EmulateViewport(width, 900, chromedp.EmulateScale(1))))
		consoleLogin(t, c, "sup-reports")
		suffix := "-" + strconv.FormatInt(width, 10)
		visit(t, c, "/console/reports")
		must(t, chromedp.Do(c, chromedp.WaitVisible(chromedp.CSS("#reports"))))
		checkA11y(t, c, "reports")
		screenshot(t, c, "console-reports"+suffix)
		visit(t, c, "/console/assessment?year="+year)
		must(t, chromedp.Do(c, chromedp.WaitVisible(chromedp.CSS("#assessment"))))
		checkA11y(t, c, "assessment")
		if got := text(t, c, "#assessment tbody tr:first-child td:nth-child(3)"); !strings.Contains(got, ".") {
			t.Errorf("the first unit's index shows as %q, want a number like 91.20", got)
		}
		screenshot(t, c, "console-assessment"+suffix)
		visit(t, c, "/console/reports/"+p.String()+"/html")
		checkA11y(t, c, "report print view")
		screenshot(t, c, "report-print"+suffix)
	}
}
