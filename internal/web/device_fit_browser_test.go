package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/qr/qrtest"
)

// fitWS is the workstation of the device these tests pair: not the one
// TestBrowserRatingDevice rates at, so that neither sees the other's
// transactions.
const fitWS = "H310101-00-W02-01"

// deviceSizes are the screens a hall's rating device comes in.
var deviceSizes = []struct{ w, h int64 }{{1024, 768}, {1280, 800}, {800, 1280}}

// pairedDevice opens /device in a new tab as a device paired to ws.
func pairedDevice(t *testing.T, ws string) context.Context {
	t.Helper()
	token, _ := pairDevice(t, ws)
	dev := tabFor(t, 3*time.Minute)
	// The token goes where the page keeps it, set from a page of the same
	// site that does not ask for a pairing code.
	must(t, chromedp.Do(dev, chromedp.Navigate(srv.URL+"/static/device.css")))
	must(t, chromedp.Do(dev, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem('haocha.device.token', %q)`, token))))
	visit(t, dev, "/device")
	onScreen(t, dev, "idle")
	return dev
}

// fits measures the device's screen at each of its sizes, saving a
// screenshot of each, and fails where the page would scroll.
func fits(t *testing.T, dev context.Context, name string) {
	t.Helper()
	for _, s := range deviceSizes {
		must(t, chromedp.Do(dev, chromedp.EmulateViewport(s.w, s.h, chromedp.EmulateScale(1))))
		m, err := chromedp.Run(dev, chromedp.Evaluate[[]float64](`[document.documentElement.scrollHeight, window.innerHeight,
			document.documentElement.scrollWidth, window.innerWidth]`))
		must(t, err)
		if m[0] > m[1] || m[2] > m[3] {
			t.Errorf("%s at %d×%d: the page is %.0f×%.0f px, over its %.0f×%.0f px screen", name, s.w, s.h, m[2], m[0], m[3], m[1])
		}
		screenshot(t, dev, fmt.Sprintf("%s-%dx%d", name, s.w, s.h))
	}
}

// TestBrowserDeviceFitsItsScreen walks every step of the rating device,
// in both languages, at the three sizes a device comes in, and finds each
// on one screen; after the bad review the device shows its work order's
// number and a code that opens the order's follow page on a phone.
func TestBrowserDeviceFitsItsScreen(t *testing.T) {
	run := strconv36(time.Now().UnixNano())
	dev := pairedDevice(t, fitWS)
	tok := reporter(t, "fit-system-"+run, "310101")
	c := newClient(t)
	for _, lang := range []string{"zh", "en"} {
		visit(t, dev, "/prefs?lang="+lang+"&back=/device")
		onScreen(t, dev, "idle")
		fits(t, dev, "device-fit-idle-"+lang)

		number := "FIT" + run + "-" + lang
		reportAt(t, tok, fitWS, number)
		shownAt(t, dev, number)
		fits(t, dev, "device-fit-stars-"+lang)

		must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS(`#stars button[data-stars="1"]`)),
			chromedp.WaitVisible(chromedp.CSS("#tags button[data-tag=attitude]")),
			chromedp.Click(chromedp.CSS("#tags button[data-tag=attitude]")),
			chromedp.Click(chromedp.CSS(`#dims button[data-value="2"]`)),
			chromedp.SendKeys(chromedp.CSS("#comment"), "等了一个小时")))
		fits(t, dev, "device-fit-bad-"+lang)

		must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS("#send")), chromedp.WaitVisible(chromedp.CSS("#order"))))
		checkA11y(t, dev, "device work order "+lang)
		fits(t, dev, "device-fit-thanks-"+lang)
		var order string
		must(t, haocha.Store.DB().QueryRow("SELECT w.number FROM work_orders w JOIN reviews r ON r.id = w.review WHERE r.txn = ?", number).Scan(&order))
		if got := text(t, dev, "#order-number"); got != order {
			t.Errorf("the device shows work order %q, want %q", got, order)
		}
		svg, err := chromedp.Run(dev, chromedp.InnerHTML(chromedp.CSS("#order-qr")))
		must(t, err)
		link := qrtest.DecodeSVG(t, svg)
		if !strings.HasPrefix(link, srv.URL+"/follow/") {
			t.Fatalf("the device's code reads %q, want the order's follow link", link)
		}
		mustContain(t, c.page(strings.TrimPrefix(link, srv.URL)), order)
		must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS("#done"))))
		onScreen(t, dev, "idle")
	}
}

// TestBrowserDeviceKeepsUnsentRating leaves a rating half done: the stars
// chosen and a comment typed, never sent. When the idle timer runs the
// device sends it as it stands, and goes back to idle without showing the
// next citizen anything of it.
func TestBrowserDeviceKeepsUnsentRating(t *testing.T) {
	run := strconv36(time.Now().UnixNano())
	dev := pairedDevice(t, fitWS)
	visit(t, dev, "/device?idle=2")
	onScreen(t, dev, "idle")
	tok := reporter(t, "keep-system-"+run, "310101")

	number := "KEEP" + run
	reportAt(t, tok, fitWS, number)
	shownAt(t, dev, number)
	must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS(`#stars button[data-stars="4"]`)),
		chromedp.WaitVisible(chromedp.CSS("#comment")),
		chromedp.SendKeys(chromedp.CSS("#comment"), "窗口很耐心")))
	onScreen(t, dev, "idle")
	waitFor(t, func() bool { return reviewsOf(t, number) == 1 }, "the unsent rating stored")
	var stars int
	var comment string
	must(t, haocha.Store.DB().QueryRow("SELECT stars, comment FROM reviews WHERE txn = ?", number).Scan(&stars, &comment))
	if stars != 4 || comment != "窗口很耐心" {
		t.Errorf("stored %d stars, comment %q; want what was on the screen: 4, 窗口很耐心", stars, comment)
	}

	// Untouched, with no stars: nothing is sent, and the device moves on.
	untouched := "KEEP" + run + "-0"
	reportAt(t, tok, fitWS, untouched)
	shownAt(t, dev, untouched)
	onScreen(t, dev, "idle")
	if n := reviewsOf(t, untouched); n != 0 {
		t.Errorf("%d reviews of a transaction nobody rated", n)
	}
}

// TestBrowserDeviceTellsAHeldRatingIsBeingChecked: a bad rating that
// screening holds is received and being checked, in both languages; the
// device does not say it became a 12345 work order, but still gives the
// follow code, whose page says the same.
func TestBrowserDeviceTellsAHeldRatingIsBeingChecked(t *testing.T) {
	words := map[string]struct{ held, order string }{
		"zh": {"正在核查", "已转为 12345 工单"},
		"en": {"being checked", "has become a 12345 hotline work order"},
	}
	run := strconv36(time.Now().UnixNano())
	dev := pairedDevice(t, fitWS)
	tok := reporter(t, "held-system-"+run, "310101")
	c := newClient(t)
	holdEvery(t)
	for _, lang := range []string{"zh", "en"} {
		w := words[lang]
		visit(t, dev, "/prefs?lang="+lang+"&back=/device")
		onScreen(t, dev, "idle")
		number := "HELD" + run + "-" + lang
		reportAt(t, tok, fitWS, number)
		shownAt(t, dev, number)
		must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS(`#stars button[data-stars="1"]`)),
			chromedp.WaitVisible(chromedp.CSS("#tags button[data-tag=attitude]")),
			chromedp.Click(chromedp.CSS("#tags button[data-tag=attitude]")),
			chromedp.Click(chromedp.CSS("#send")), chromedp.WaitVisible(chromedp.CSS("#held"))))
		if got := text(t, dev, "#held"); !strings.Contains(got, w.held) {
			t.Errorf("%s: the held rating's thanks read %q, want %q", lang, got, w.held)
		}
		visible, err := chromedp.Run(dev, chromedp.Evaluate[string](`document.getElementById('thanks').innerText`))
		must(t, err)
		if strings.Contains(visible, w.order) {
			t.Errorf("%s: the device tells a held rating %q", lang, w.order)
		}
		checkA11y(t, dev, "device held rating "+lang)
		fits(t, dev, "device-fit-held-"+lang)
		svg, err := chromedp.Run(dev, chromedp.InnerHTML(chromedp.CSS("#order-qr")))
		must(t, err)
		link := qrtest.DecodeSVG(t, svg)
		if !strings.HasPrefix(link, srv.URL+"/follow/") {
			t.Fatalf("%s: the device's code reads %q, want the order's follow link", lang, link)
		}
		mustContain(t, c.page(strings.TrimPrefix(link, srv.URL)), `data-state="held"`)
		must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS("#done"))))
		onScreen(t, dev, "idle")
	}
}
