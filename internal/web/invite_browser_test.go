package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/transaction"
)

// invited reports a transaction with phone at the demo's workstation,
// runs the scheduler's invitation step and delivery, and returns the
// link's path from the text the citizen got.
func invited(t *testing.T, number, phone string) string {
	t.Helper()
	ctx := context.Background()
	fin := time.Now().Add(-time.Hour)
	svc := &transaction.Service{Store: haocha.Store}
	res, err := svc.Report(ctx, transaction.Reporter{}, []transaction.Record{{Number: number, Item: item,
		Stages: []string{"acceptance", "decision"}, Unit: "310101", Workstation: workstation, ApplicantKind: "person",
		AcceptedAt: fin.Add(-30 * time.Minute).Format(time.RFC3339), FinishedAt: fin.Format(time.RFC3339), Phone: phone}})
	if err != nil || res[0].Status != transaction.Created {
		t.Fatalf("report: %+v, %v", res, err)
	}
	// Invitations wait out the quiet hours: run the step, and deliver what
	// it queued, at the next noon after the transaction finished, whenever
	// the test runs (from midnight in Shanghai, today's noon is still to
	// come, and a text queued for it is not due at the wall clock).
	wall := haocha.Invitations.Now
	y, mo, d := fin.In(calendar.Zone).Date()
	noon := time.Date(y, mo, d, 12, 0, 0, 0, calendar.Zone)
	if noon.Before(fin) {
		noon = noon.AddDate(0, 0, 1)
	}
	haocha.Invitations.Now = func() time.Time { return noon }
	_, err = haocha.Invitations.Run(ctx)
	haocha.Invitations.Now = wall
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := haocha.SMS.Deliver(ctx, noon); err != nil {
		t.Fatal(err)
	}
	m, ok := texts.Last(phone, sms.Invitation)
	if !ok {
		t.Fatal("no invitation was texted")
	}
	path := regexp.MustCompile(`/i/[A-Za-z0-9_-]{22}`).FindString(m.Text)
	if path == "" {
		t.Fatalf("the invitation has no link: %s", m.Text)
	}
	return path
}

// shootInvitation takes the page at phone (390 px) and desktop (1280 px) width.
func shootInvitation(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
	screenshot(t, ctx, name)
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	must(t, err)
	if wide {
		t.Errorf("%s scrolls sideways at 390 px", name)
	}
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))))
	screenshot(t, ctx, name+"-desktop")
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
}

// TestBrowserInvitationLink: the citizen opens the link texted to them,
// sees what they are rating by name, rates at a stage, and the link then
// says it was used; from there they stop further invitations. Both
// languages, axe-clean, at 390 and 1280 px.
func TestBrowserInvitationLink(t *testing.T) {
	link := invited(t, "INV-BROWSER-1", "13700001111")
	ctx := tab(t)
	visit(t, ctx, link)
	it, err := haocha.Store.Item(context.Background(), item)
	must(t, err)
	if got := text(t, ctx, "#invite-item"); got != it.NameZH {
		t.Errorf("item shown as %q, want %q", got, it.NameZH)
	}
	if got := text(t, ctx, "#invite-stages"); got != "受理、决定" {
		t.Errorf("stages shown as %q", got)
	}
	checkA11y(t, ctx, "invitation page")
	shootInvitation(t, ctx, "invite-zh")
	must(t, chromedp.Do(ctx, press("#switch-lang"), chromedp.WaitVisible(chromedp.CSS("#invite-item"))))
	if got := text(t, ctx, "h1"); got != "Rate your transaction" {
		t.Errorf("English heading %q", got)
	}
	checkA11y(t, ctx, "invitation page (en)")
	shootInvitation(t, ctx, "invite-en")
	must(t, chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#stage"), "decision"),
		choose("#stars-4"),
		press("#submit"),
		chromedp.WaitVisible(chromedp.CSS("#thanks-message")),
	))
	var stage, channel string
	if err := haocha.Store.DB().QueryRowContext(context.Background(), `SELECT r.stage, r.channel FROM reviews r
		JOIN review_transactions rt ON rt.review = r.id WHERE rt.txn = 'INV-BROWSER-1'`).Scan(&stage, &channel); err != nil || stage != "decision" || channel != "sms" {
		t.Errorf("the review: stage %q channel %q, %v", stage, channel, err)
	}

	visit(t, ctx, link)
	if got := text(t, ctx, "h1"); got != "This link has been used" {
		t.Errorf("the used link's heading %q", got)
	}
	checkA11y(t, ctx, "used link (en)")
	shootInvitation(t, ctx, "invite-used-en")
	must(t, chromedp.Do(ctx, press("#switch-lang"), chromedp.WaitVisible(chromedp.CSS("#invite-gone"))))
	if got := text(t, ctx, "h1"); got != "此链接已使用" {
		t.Errorf("the used link's heading %q", got)
	}
	checkA11y(t, ctx, "used link")
	shootInvitation(t, ctx, "invite-used-zh")
	must(t, chromedp.Do(ctx, press("#optout"), chromedp.WaitVisible(chromedp.CSS("#optout-done"))))
	if got := text(t, ctx, "#optout-done"); !strings.Contains(got, "不会再") {
		t.Errorf("after opting out: %q", got)
	}
	checkA11y(t, ctx, "opted out")
	shootInvitation(t, ctx, "invite-optout-zh")
}
