package web_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
)

// The staff's daily pages (issue 19), as each user meets them in both
// languages: the order list counts every matching order and keeps its sort
// across pages, new orders show their dispatch deadline and closed ones
// the time they took; alerts come newest first and link to their orders;
// the window staff's page says whose figures of which period it shows;
// the header names the person without repeating the role.
func TestBrowserConsoleDailyUse(t *testing.T) {
	ctx := context.Background()
	var open int
	must(t, haocha.Store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM work_orders WHERE NOT suspected").Scan(&open))
	hash, err := account.HashPassword(consolePassword)
	must(t, err)
	must(t, haocha.Store.CreateUser(ctx, &account.User{Login: "daily-supervisor", DisplayName: "市政府办公厅",
		Role: account.Supervisor, PasswordHash: hash}, "test"))
	var staff string
	must(t, haocha.Store.DB().QueryRowContext(ctx, `SELECT staff FROM reviews WHERE staff IS NOT NULL
		GROUP BY staff ORDER BY COUNT(*) DESC, staff LIMIT 1`).Scan(&staff))
	must(t, haocha.Store.CreateUser(ctx, &account.User{Login: "daily-staff", Role: account.Staff, Staff: staff, PasswordHash: hash}, "test"))

	// Two users, two languages, eight pages at two widths: longer than a tab's minute.
	b := longDesk(t)
	consoleLogin(t, b, "daily-supervisor")
	for _, tt := range []struct{ lang, count, took, dispatch, role string }{
		{"zh", "共 %d 件", "用时", "派单", "市政府办公厅"},
		{"en", "%d orders in all", "took", "dispatch by", "General Office"},
	} {
		visit(t, b, "/prefs?lang="+tt.lang+"&back=/console/orders?sort=due%26limit=10")
		if got, want := text(t, b, "#orders caption"), strings.Replace(tt.count, "%d", strconv.Itoa(open), 1); got != want {
			t.Errorf("%s: the list's count reads %q, want %q (every order, not the page)", tt.lang, got, want)
		}
		if got := text(t, b, "header .who"); strings.Count(got, tt.role) != 1 {
			t.Errorf("%s: the header reads %q: the role once", tt.lang, got)
		}
		widths(t, b, "console-orders-sorted-"+tt.lang)
		noOverflow(t, b, "console orders "+tt.lang)
		must(t, chromedp.Do(b, chromedp.Click(chromedp.CSS(`a[rel=next]`)), chromedp.WaitReady(chromedp.CSS("#orders"))))
		if got, _ := chromedp.Run(b, chromedp.Value(chromedp.CSS("#f-sort"))); got != "due" {
			t.Errorf("%s: on the next page the sort is %q, want due", tt.lang, got)
		}
		visit(t, b, "/console/orders?state=closed")
		if got := text(t, b, "#orders tbody tr:first-child td:last-child"); !strings.HasPrefix(got, tt.took) {
			t.Errorf("%s: a closed order's time reads %q, want how long it took", tt.lang, got)
		}
		visit(t, b, "/console/orders?state=new")
		if got := text(t, b, "#orders tbody tr:first-child .dispatch-due"); !strings.HasPrefix(got, tt.dispatch) {
			t.Errorf("%s: a new order's due column reads %q, want its dispatch deadline", tt.lang, got)
		}
		widths(t, b, "console-orders-new-"+tt.lang)

		visit(t, b, "/console/alerts?state=resolved")
		times, err := chromedp.Run(b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#alerts tbody td:last-child")).map(td => td.textContent.trim())`))
		must(t, err)
		for i := 1; i < len(times); i++ {
			if times[i] > times[i-1] {
				t.Errorf("%s: alerts out of order: %s after %s", tt.lang, times[i], times[i-1])
			}
		}
		visit(t, b, "/console/alerts")
		// Open ones, other tests may have taken up; these stay.
		for _, s := range []string{"acknowledged", "resolved"} {
			if n, _ := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#alerts tr.alert-`+s+`").length`)); n == 0 {
				t.Errorf("%s: no %s alert in the demo", tt.lang, s)
			}
		}
		widths(t, b, "console-alerts-"+tt.lang)
		must(t, chromedp.Do(b, chromedp.Click(chromedp.CSS(`#alerts tbody a`)), chromedp.WaitReady(chromedp.CSS("#alert-reviews"))))
		if n, _ := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#alert-reviews a[href^='/console/orders/GD']").length`)); n == 0 {
			t.Errorf("%s: the alert's reviews do not link to their orders", tt.lang)
		}
		widths(t, b, "console-alert-"+tt.lang)
	}
	visit(t, b, "/prefs?lang=zh&back=/console/")

	s := longDesk(t)
	consoleLogin(t, s, "daily-staff")
	period := regexp.MustCompile(`\d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d`)
	for _, lang := range []string{"zh", "en"} {
		visit(t, s, "/prefs?lang="+lang+"&back=/console/me")
		for _, sel := range []string{"#me-name", "#me-unit", "#me-seat"} {
			if got := text(t, s, sel); got == "" || got == "—" {
				t.Errorf("%s: %s is empty", lang, sel)
			}
		}
		if got := text(t, s, "#me-period"); !period.MatchString(got) {
			t.Errorf("%s: the figures' period reads %q", lang, got)
		}
		widths(t, s, "console-me-"+lang)
		noOverflow(t, s, "console me "+lang)
	}
	visit(t, s, "/prefs?lang=zh&back=/console/")
}

// longDesk is desk for a walk of many pages.
func longDesk(t *testing.T) context.Context {
	t.Helper()
	ctx := tabFor(t, 5*time.Minute)
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))))
	return ctx
}
