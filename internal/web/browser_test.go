package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Browser tests run in a real headless Chromium. Outside CI they skip when
// Chromium or axe-core is missing; with HAOCHA_CI=1 that is a failure.

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
	axeSource     string
)

// chromiumPath is where Debian's chromium package puts the browser.
func chromiumPath() string {
	if p := os.Getenv("HAOCHA_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("chromium")
	return p
}

// repoRoot is the folder holding go.mod.
func repoRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// axePath is where .ci/run installs axe-core.
func axePath() string {
	if p := os.Getenv("HAOCHA_AXE"); p != "" {
		return p
	}
	return filepath.Join(repoRoot(), ".ci", "axe", "node_modules", "axe-core", "axe.min.js")
}

func startBrowser() {
	path := chromiumPath()
	if path == "" {
		browserErr = errors.New("no Chromium found (install Debian's chromium package)")
		return
	}
	b, err := os.ReadFile(axePath())
	if err != nil {
		browserErr = fmt.Errorf("axe-core not installed (npm install --no-save --prefix .ci/axe axe-core): %w", err)
		return
	}
	axeSource = string(b)
	profile, err := os.MkdirTemp("", "haocha-chromium-")
	if err != nil {
		browserErr = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(412, 915),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		acancel()
		browserErr = fmt.Errorf("start Chromium: %w", err)
		return
	}
	browserCtx = ctx
	browserCancel = func() {
		cancel()
		acancel()
		os.RemoveAll(profile)
	}
}

func stopBrowser() {
	if browserCancel != nil {
		browserCancel()
	}
}

// tab returns a new tab in its own browser context (its own cookies), with
// a phone-sized viewport, closed at the end of the test.
func tab(t *testing.T) context.Context {
	t.Helper()
	return tabFor(t, 60*time.Second)
}

// tabFor is tab for a test that runs longer than a minute.
func tabFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	browserOnce.Do(startBrowser)
	if browserErr != nil {
		if os.Getenv("HAOCHA_CI") == "1" {
			t.Fatalf("browser tests must run in CI: %v", browserErr)
		}
		t.Skipf("skipping browser test: %v", browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(412, 915, chromedp.EmulateScale(1))); err != nil {
		cancel()
		t.Fatal(err)
	}
	tctx, tcancel := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { tcancel(); cancel() })
	return tctx
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// violation is an axe-core finding, as much of it as a failure shows.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkA11y runs axe-core on the page and fails on any serious or critical
// violation.
func checkA11y(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, v := range axeViolations(t, ctx) {
		t.Errorf("%s: accessibility %s: %s (%s) at %s", name, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// axeViolations injects axe-core into the page and returns its serious and
// critical findings.
func axeViolations(t *testing.T, ctx context.Context) []violation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
			id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []violation
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatalf("axe result: %v", err)
	}
	return vs
}

// TestAxeFindsViolations makes sure the check can fail: a page with an
// unlabelled field must be caught.
func TestAxeFindsViolations(t *testing.T) {
	ctx := tab(t)
	must(t, chromedp.Do(ctx, chromedp.Navigate(`data:text/html,<!doctype html><title>x</title><input type=text>`)))
	if vs := axeViolations(t, ctx); len(vs) == 0 {
		t.Error("axe-core found nothing wrong with an unlabelled text field")
	}
}

// screenshot saves the whole page under testoutput/screenshots.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(repoRoot(), "testoutput", "screenshots")
	must(t, os.MkdirAll(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// press activates the control with the keyboard, as a user of a screen
// reader or a keyboard would; unlike a mouse click it cannot land on
// another control when the layout moves.
func press(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent("\r"))
}

// choose ticks a radio button or check box with the space bar.
func choose(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(" "))
}

// visit opens path and waits for the page's main element.
func visit(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitReady(chromedp.CSS("#main"))))
}

func TestBrowserQRFlow(t *testing.T) {
	ctx := tab(t)
	visit(t, ctx, proven(t, workstation))
	if got := text(t, ctx, "#workstation"); got != "1号窗口1号工位" {
		t.Errorf("workstation shown as %q", got)
	}
	// With JavaScript the tags wait for a bad rating.
	must(t, chromedp.Do(ctx, chromedp.WaitNotVisible(chromedp.CSS("#tags"))))
	// What a phone downloads for the landing page, on a first visit.
	weight, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[performance.getEntriesByType("navigation")[0].transferSize,
		performance.getEntriesByType("resource").reduce((n, e) => n + e.transferSize, 0),
		performance.getEntriesByType("navigation")[0].decodedBodySize]`))
	must(t, err)
	t.Logf("QR landing page weight: %d bytes transferred (page %d, assets %d); page %d bytes uncompressed",
		weight[0]+weight[1], weight[0], weight[1], weight[2])
	if weight[0]+weight[1] > 50_000 {
		t.Errorf("QR landing weighs %d bytes, over the 50 kB budget for a phone", weight[0]+weight[1])
	}
	checkA11y(t, ctx, "QR landing")
	screenshot(t, ctx, "qr-landing-zh")

	// Find the item by typing, pick it, give 2 stars with a tag and a comment.
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#item-q"), "身份证"),
		chromedp.SetValue(chromedp.CSS("#item"), item),
		choose("#stars-2"),
		chromedp.WaitVisible(chromedp.CSS("#tags")),
		choose("#tag-attitude"),
		chromedp.SendKeys(chromedp.CSS("#comment"), "窗口排队一小时，态度冷淡"),
	))
	screenshot(t, ctx, "qr-filled-zh")
	// Choosing the item narrows the stages to the item's own.
	must(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("item").dispatchEvent(new Event("change"))`)))
	stages := 0
	for range 50 {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#stage option:not([value=''])").length`))
		must(t, err)
		if stages = n; n == 4 {
			break
		}
		must(t, chromedp.Do(ctx, chromedp.Sleep(50*time.Millisecond)))
	}
	if stages != 4 {
		t.Errorf("stage list has %d options after choosing %s, want its 4 stages", stages, item)
	}
	// No stage is chosen for the citizen: they choose one.
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#stage"))); v != "" {
		t.Errorf("the QR form preselects stage %q", v)
	}
	must(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#stage"), "acceptance"),
		press("#submit"), chromedp.WaitVisible(chromedp.CSS("#work-order"))))
	number := text(t, ctx, "#work-order")
	if !strings.HasPrefix(number, "GD") {
		t.Fatalf("work-order number %q", number)
	}
	checkA11y(t, ctx, "confirmation")
	screenshot(t, ctx, "thanks-bad-zh")

	// The private link shows the order's state.
	must(t, chromedp.Do(ctx, press("#follow-link"), chromedp.WaitVisible(chromedp.CSS("#state"))))
	if got := text(t, ctx, "#work-order"); got != number {
		t.Errorf("follow-up page shows order %q, want %q", got, number)
	}
	if got := text(t, ctx, "#state"); got != "已受理，待派单" {
		t.Errorf("state %q", got)
	}
	checkA11y(t, ctx, "follow-up")
	screenshot(t, ctx, "follow-zh")
}

func TestBrowserFiveStarsFromItemPage(t *testing.T) {
	ctx := tab(t)
	visit(t, ctx, "/items/SHMZ-001")
	checkA11y(t, ctx, "item page")
	screenshot(t, ctx, "item-zh")
	must(t, chromedp.Do(ctx, press("#rate-action"), chromedp.WaitVisible(chromedp.CSS("#stage"))))
	checkA11y(t, ctx, "item rating form")
	must(t, chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#stage"), "decision"),
		choose("#stars-5"),
		choose(`#dim-efficiency input[value="4"]`),
		chromedp.WaitNotVisible(chromedp.CSS("#tags")),
		press("#submit"),
		chromedp.WaitVisible(chromedp.CSS("#thanks-message")),
	))
	if got := text(t, ctx, "#thanks-message"); !strings.Contains(got, "继续努力") {
		t.Errorf("thanks message %q", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#work-order").length`)); n != 0 {
		t.Error("a 5-star review got a work order")
	}
	// The receipt says what was rated.
	summary := text(t, ctx, "#rated")
	rated, err := haocha.Store.Item(context.Background(), "SHMZ-001")
	must(t, err)
	for _, want := range []string{rated.NameZH, "决定", "非常满意", "办事效率", "4 · 满意"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the receipt's summary %q lacks %q", summary, want)
		}
	}
	checkA11y(t, ctx, "five-star receipt")
	screenshot(t, ctx, "thanks-good-zh")
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))))
	screenshot(t, ctx, "thanks-good-zh-1280")
}

func TestBrowserLanguageAndLargeText(t *testing.T) {
	ctx := tab(t)
	visit(t, ctx, "/")
	checkA11y(t, ctx, "home")
	screenshot(t, ctx, "home-zh")
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))))
	screenshot(t, ctx, "home-zh-desktop")
	visit(t, ctx, "/units/SHJW")
	screenshot(t, ctx, "unit-zh-desktop")
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(412, 915, chromedp.EmulateScale(1))))
	// Units and items no other test rates, so that the trend shows the demo.
	visit(t, ctx, "/units/SHJW")
	checkA11y(t, ctx, "unit page")
	screenshot(t, ctx, "unit-zh")

	must(t, chromedp.Do(ctx, press("#switch-lang"), chromedp.WaitVisible(chromedp.CSS("#rate-action"))))
	if got := text(t, ctx, "#rate-action"); got != "Rate this service" {
		t.Errorf("after the switch the rate action reads %q", got)
	}
	screenshot(t, ctx, "unit-en")
	// The choice is remembered on the next page.
	visit(t, ctx, "/")
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	must(t, err)
	if lang != "en" {
		t.Errorf("html lang %q on the next page, want en", lang)
	}
	if got := text(t, ctx, "h1"); got != "Rate a government service" {
		t.Errorf("home heading %q", got)
	}
	checkA11y(t, ctx, "home (en)")
	screenshot(t, ctx, "home-en")
	visit(t, ctx, landing(workstation))
	checkA11y(t, ctx, "QR landing (en)")
	screenshot(t, ctx, "qr-landing-en")
	visit(t, ctx, "/items/SHJW-001")
	screenshot(t, ctx, "item-en")

	// Large text for older citizens: body text at least 1.5 times, and
	// the touch targets with it.
	measure := `[parseFloat(getComputedStyle(document.body).fontSize), document.getElementById("rate-action").getBoundingClientRect().height]`
	before, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](measure))
	must(t, err)
	must(t, chromedp.Do(ctx, press("#switch-size"), chromedp.WaitReady(chromedp.CSS("html.large"))))
	after, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](measure))
	must(t, err)
	if after[0] < 1.5*before[0] || after[1] < 1.5*before[1] {
		t.Errorf("large text: body %.1f px (normal %.1f), rate button %.1f px high (normal %.1f); want both 1.5 times", after[0], before[0], after[1], before[1])
	}
	checkA11y(t, ctx, "item page, large text")
	screenshot(t, ctx, "item-en-large")
	must(t, chromedp.Do(ctx, press("#switch-lang"), chromedp.WaitReady(chromedp.CSS("#main"))))
	screenshot(t, ctx, "item-zh-large")
}

func TestBrowserForgedQRRefused(t *testing.T) {
	ctx := tab(t)
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(srv.URL+"/r/"+otherWS+"?t="+token(workstation)))
	must(t, err)
	if resp.Status != 403 {
		t.Errorf("status %d, want 403", resp.Status)
	}
	if got := text(t, ctx, "#error-message"); !strings.Contains(got, "二维码无效") {
		t.Errorf("message %q", got)
	}
	checkA11y(t, ctx, "forged QR page")
	screenshot(t, ctx, "forged-qr-zh")
}

func TestBrowserPrintableSheet(t *testing.T) {
	ctx := tab(t)
	printer(t)
	consoleLogin(t, ctx, qrPrinter)
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1240, 1754, chromedp.EmulateScale(1)),
		chromedp.Navigate(srv.URL+"/qr/sheet?hall=H310101-01"), chromedp.WaitReady("figure.label", chromedp.NodeVisible)))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("figure.label svg path").length`))
	must(t, err)
	if n < 35 {
		t.Errorf("%d codes drawn, want a community hall's 35 or more", n)
	}
	checkA11y(t, ctx, "QR sheet")
	screenshot(t, ctx, "qr-sheet-zh")
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(repoRoot(), "testoutput", "screenshots", "qr-sheet-zh.pdf"), pdf, 0o644))
	// The code on the sheet is also a link to the landing page.
	must(t, chromedp.Do(ctx, press("figure.label a"), chromedp.WaitVisible(chromedp.CSS("#workstation"))))
	if got := text(t, ctx, "#workstation"); got != "1号窗口1号工位" {
		t.Errorf("the first code leads to %q", got)
	}
}

func TestBrowserRefusalKeepsWhatWasTyped(t *testing.T) {
	ctx := tab(t)
	visit(t, ctx, proven(t, workstation))
	// Submit with no stars: the server answers with the error by the field.
	must(t, chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#item"), item),
		chromedp.SetValue(chromedp.CSS("#stage"), "acceptance"),
		chromedp.SendKeys(chromedp.CSS("#comment"), "保留我"),
		press("#submit"),
		chromedp.WaitVisible(chromedp.CSS("#stars-error")),
	))
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#comment"))); v != "保留我" {
		t.Errorf("comment after refusal %q", v)
	}
	checkA11y(t, ctx, "refused form")
	screenshot(t, ctx, "qr-refused-zh")
}

func TestBrowserWithoutJavaScript(t *testing.T) {
	ctx := tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	visit(t, ctx, proven(t, otherWS))
	// The tags and the name fields are there from the start, with notes.
	must(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#tags")), chromedp.WaitVisible(chromedp.CSS("#name"))))
	screenshot(t, ctx, "qr-landing-nojs-zh")
	must(t, chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#item"), item),
		chromedp.SetValue(chromedp.CSS("#stage"), "acceptance"),
		choose("#stars-1"),
		choose("#tag-materials"),
		press("#submit"),
		chromedp.WaitVisible(chromedp.CSS("#work-order")),
	))
	if got := text(t, ctx, "#work-order"); !strings.HasPrefix(got, "GD") {
		t.Errorf("work-order number %q", got)
	}
}
