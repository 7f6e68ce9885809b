package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/i18n"
)

// walkWS is the workstation the walk rates at and pairs its device to: of
// its own, so that no other test's transactions show on its device.
const walkWS = "H310101-00-W05-01"

// walkShots is where TestBrowserIssueWalk saves its screenshots:
// $HAOCHA_SCREENSHOTS when set, else testoutput/screenshots/walk in the
// repository.
func walkShots(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HAOCHA_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(repoRoot(), "testoutput", "screenshots", "walk")
	}
	must(t, os.MkdirAll(dir, 0o755))
	return dir
}

var urlRE = regexp.MustCompile(`https?://\S+`)

// walkPage is a page the walk has seen: its visible text, checked at the
// end, when every text the walk typed is stored.
type walkPage struct {
	lang       i18n.Lang
	name, text string
}

// TestBrowserIssueWalk repeats the walk of issue 19 in Chromium, in both
// languages: a citizen by QR (landing, a bad review, its receipt, the
// follow page) and online (the item's form and receipt), the hall's rating
// device (idle, a transaction to rate), an operator (queue, the new order,
// dashboard), a handler (queue, an order of the unit), a supervisor
// (alerts, an alert, reports, the issued print view, assessment, staff
// ranking) and the public /index and hall pages. Each page is saved at 390,
// 1024 and 1280 px (the issue's widths), and fails on a raw catalogue key or the other language's
// words in its visible text (TestLanguageWalk's rules).
func TestBrowserIssueWalk(t *testing.T) {
	dir := walkShots(t)
	t.Logf("screenshots in %s", dir)
	s := sampleRecords(t)
	var seen []walkPage
	shot := func(ctx context.Context, lang i18n.Lang, name string) {
		t.Helper()
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		must(t, err)
		// A link shown as text (the receipt's private link) is an address,
		// in Latin letters in any language.
		seen = append(seen, walkPage{lang, name, urlRE.ReplaceAllString(text, " ")})
		for _, w := range []int64{390, 1024, 1280} {
			atWidth(t, ctx, w)
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must(t, err)
			must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%s-%d.png", name, lang, w)), png, 0o644))
		}
		atWidth(t, ctx, 390)
	}
	page := func(ctx context.Context, lang i18n.Lang, name, path string) {
		t.Helper()
		visit(t, ctx, withLang(path, lang))
		shot(ctx, lang, name)
	}

	staffAccount(t, "issue-walk-op", account.Operator, "")
	staffAccount(t, "issue-walk-handler", account.Handler, s.unit)
	staffAccount(t, "issue-walk-sup", account.Supervisor, "")
	public, op, handler, sup := tabFor(t, 10*time.Minute), tabFor(t, 10*time.Minute), tabFor(t, 10*time.Minute), tabFor(t, 10*time.Minute)
	consoleLogin(t, op, "issue-walk-op")
	consoleLogin(t, handler, "issue-walk-handler")
	consoleLogin(t, sup, "issue-walk-sup")
	tok := reporter(t, "issue-walk-system", "310101")
	run := strconv36(time.Now().UnixNano())

	for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
		l := string(lang)
		atWidth(t, public, 390)
		// The citizen by QR: a bad review, its receipt, the follow page.
		page(public, lang, "qr-landing", provenFor(t, walkWS, item))
		must(t, chromedp.Do(public,
			chromedp.SetValue(chromedp.CSS("#item"), item),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("item").dispatchEvent(new Event("change"))`),
			chromedp.Sleep(200*time.Millisecond),
			chromedp.SetValue(chromedp.CSS("#stage"), "acceptance"),
			choose("#stars-2"),
			chromedp.WaitVisible(chromedp.CSS("#tags")),
			choose("#tag-attitude"),
			press("#submit"),
			chromedp.WaitVisible(chromedp.CSS("#work-order")),
		))
		number := strings.TrimSpace(text(t, public, "#work-order"))
		shot(public, lang, "qr-thanks-bad")
		must(t, chromedp.Do(public, press("#follow-link"), chromedp.WaitVisible(chromedp.CSS("#state"))))
		shot(public, lang, "qr-follow")

		// The citizen online: the item's form and a five-star receipt.
		page(public, lang, "online-rate", "/items/"+item+"/rate")
		must(t, chromedp.Do(public, chromedp.SetValue(chromedp.CSS("#stage"), "decision"), choose("#stars-5"),
			press("#submit"), chromedp.WaitVisible(chromedp.CSS("#rated"))))
		shot(public, lang, "online-thanks-good")

		// The public pages.
		page(public, lang, "public-index", "/index")
		page(public, lang, "public-hall", "/halls/"+hall)

		// The hall's rating device: idle, then a transaction to rate. A
		// device a language: its tab lives three minutes.
		devWS := map[i18n.Lang]string{i18n.ZH: walkWS, i18n.EN: "H310101-00-W06-01"}[lang]
		dev := pairedDevice(t, devWS)
		visit(t, dev, "/prefs?lang="+l+"&back=/device")
		onScreen(t, dev, "idle")
		shot(dev, lang, "device-idle")
		n := "WALK" + run + "-" + l
		reportAt(t, tok, devWS, n)
		shownAt(t, dev, n)
		shot(dev, lang, "device-stars")

		// The operator: the queue, the citizen's new order, the dashboard.
		page(op, lang, "operator-queue", "/console/orders")
		page(op, lang, "operator-order", "/console/orders/"+number)
		page(op, lang, "operator-dashboard", "/console/dashboard")

		// The handler: the unit's queue and its longest-lived order.
		page(handler, lang, "handler-queue", "/console/orders")
		page(handler, lang, "handler-order", "/console/orders/"+s.order)

		// The supervisor.
		page(sup, lang, "supervisor-alerts", "/console/alerts")
		page(sup, lang, "supervisor-alert", "/console/alerts/"+s.alert)
		page(sup, lang, "supervisor-reports", "/console/reports")
		page(sup, lang, "supervisor-report-print", "/console/reports/"+s.period+"/html")
		page(sup, lang, "supervisor-assessment", "/console/assessment")
		page(sup, lang, "supervisor-staff-ranking", "/console/staff-ranking")
	}
	visit(t, public, "/prefs?lang=zh&back=/")

	// What the walk typed and made is stored now: names, comments.
	loadAllowedHan(t)
	for _, p := range seen {
		for _, f := range languageFaults(p.lang, "text/plain", p.text) {
			t.Errorf("%s (%s): %s", p.name, p.lang, f)
		}
	}
	if len(seen) != 2*20 {
		t.Errorf("the walk saw %d pages, want 20 in each language", len(seen))
	}
}
