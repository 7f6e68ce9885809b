package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
)

// The supervisor's suspected queue in a real browser, at phone and desktop
// width: a same-text burst is held, the page lists it with names and
// reasons in Chinese, and the supervisor rejects it in bulk.
func TestBrowserSuspectedQueue(t *testing.T) {
	// This server scores nothing (every page test rates from one client):
	// the burst goes through an intake with the real rules.
	in := *haocha.Intake
	in.Rules, in.SMS = &fraud.DefaultRules, nil
	anon := true
	for range 3 {
		sub := review.Submission{Channel: "window", Workstation: otherWS, Item: item, Stage: "acceptance", Stars: 1,
			Tags: []string{"attitude"}, Comment: "这个窗口的工作人员态度恶劣，一律差评", Anonymous: &anon, QRToken: token(otherWS)}
		// Through the window's rating device, as a review naming a workstation must be.
		dev := &intake.PairedDevice{ID: 2000, Workstation: otherWS}
		if _, err := in.Submit(context.Background(), sub, intake.Client{Address: "203.0.113.77", UserAgent: "script", Device: dev}); err != nil {
			t.Fatal(err)
		}
	}
	staffAccount(t, "browser-suspected-supervisor", account.Supervisor, "")
	for _, width := range []int64{390, 1280} {
		ctx := tab(t)
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(width, 900, chromedp.EmulateScale(1))))
		consoleLogin(t, ctx, "browser-suspected-supervisor")
		visit(t, ctx, "/console/suspected")
		checkA11y(t, ctx, "suspected queue")
		screenshot(t, ctx, "suspected-"+map[int64]string{390: "phone", 1280: "desktop"}[width])
		if got := text(t, ctx, "#suspected tbody tr:first-child .reasons"); got == "" {
			t.Error("a held review shows no reason")
		}
	}
	ctx := desk(t)
	consoleLogin(t, ctx, "browser-suspected-supervisor")
	visit(t, ctx, "/console/suspected")
	must(t, chromedp.Do(ctx, choose("#suspected tbody tr:nth-child(1) input"), choose("#suspected tbody tr:nth-child(2) input"),
		choose("#suspected tbody tr:nth-child(3) input"),
		chromedp.SendKeys(chromedp.CSS("#reason"), "同一脚本所发"), press("#reject"), chromedp.WaitReady(chromedp.CSS("#done"))))
	if got := text(t, ctx, "#done"); !strings.Contains(got, "已驳回 3 条评价") {
		t.Errorf("after reject the page says %q", got)
	}
}
