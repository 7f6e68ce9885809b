package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/sms"
)

// The citizen's sign-in and own page in a real browser, in both languages,
// at a phone's and a desktop's width, each passing axe-core.
func TestBrowserSignIn(t *testing.T) {
	forgetAttempts(t)
	const phone = "13755550001"
	// The citizen rated before, signed in from another device.
	c := newClient(t)
	signIn(t, c, phone, "/me")
	rateBad(t, c, url.Values{"tags": {"multiple_trips"}, "comment": {"材料退回两次"}})

	ctx := tab(t)
	visit(t, ctx, "/signin?next=/me")
	noOverflow(t, ctx, "sign-in page")
	widths(t, ctx, "signin-zh")
	must(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#phone"), phone), press("#signin-submit"),
		chromedp.WaitVisible(chromedp.CSS("#signin-sent"))))
	m, ok := texts.Last(phone, sms.SignInCode)
	if !ok {
		t.Fatal("no code texted")
	}
	widths(t, ctx, "signin-code-zh")
	must(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#code"), codeRE.FindStringSubmatch(m.Text)[1]), press("#signin-submit"),
		chromedp.WaitVisible(chromedp.CSS("#my-reviews"))))
	if got := text(t, ctx, "#my-reviews"); !strings.Contains(got, "材料") && !strings.Contains(got, "GD") {
		t.Errorf("my reviews read %q", got)
	}
	noOverflow(t, ctx, "my reviews")
	widths(t, ctx, "me-zh")
	visit(t, ctx, "/me?lang=en")
	widths(t, ctx, "me-en")
	visit(t, ctx, "/items/"+item+"/rate")
	if got := text(t, ctx, "#signin-line"); !strings.Contains(got, "signed in") {
		t.Errorf("the rating form says %q of the sign-in", got)
	}
	must(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/signin"), chromedp.WaitVisible(chromedp.CSS("#signout"))))
	widths(t, ctx, "signin-signed-in-en")
	must(t, chromedp.Do(ctx, press("#signout"), chromedp.WaitVisible(chromedp.CSS("#nav-signin"))))
}

// TestBrowserSignInDemo: without an SMS gateway the page shows the code
// and says why; the city's identity provider is offered beside it.
func TestBrowserSignInDemo(t *testing.T) {
	base, _ := demoServer(t)
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			ctx := tab(t)
			must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/signin?lang="+lang), chromedp.WaitVisible(chromedp.CSS("#signin-oidc"))))
			must(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#phone"), "13755550002"), press("#signin-submit"),
				chromedp.WaitVisible(chromedp.CSS("#demo-code"))))
			if got := text(t, ctx, "#demo-code-digits"); len(got) != 6 {
				t.Errorf("demo code reads %q", got)
			}
			noOverflow(t, ctx, "demo code")
			widths(t, ctx, "signin-demo-"+lang)
		})
	}
}
