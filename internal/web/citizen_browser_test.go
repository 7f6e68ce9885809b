package web_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/sms"
)

// The citizen's side of the loop in a real browser, in both languages: a
// bare bad review is asked what went wrong, the thanks page says what will
// happen and that the link was texted, the order is found again by number
// and phone with the code, and the follow page tells the whole story after
// "not satisfied", its state beside its label on a phone.
func TestBrowserCitizenStory(t *testing.T) {
	for i, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			forgetAttempts(t)
			ctx := tab(t)
			visit(t, ctx, "/prefs?lang="+lang+"&back=/items/"+item+"/rate")
			phone := fmt.Sprintf("1365555000%d", i)
			must(t, chromedp.Do(ctx,
				chromedp.SetValue(chromedp.CSS("#stage"), "acceptance"),
				choose("#stars-1"),
				choose("#anon-no"),
				chromedp.SendKeys(chromedp.CSS("#name"), "赵女士"),
				chromedp.SendKeys(chromedp.CSS("#phone"), phone),
				press("#submit"),
				chromedp.WaitVisible(chromedp.CSS("#bare-field")),
			))
			widths(t, ctx, "rate-ask-details-"+lang)
			must(t, chromedp.Do(ctx,
				choose("#tag-attitude"),
				chromedp.SendKeys(chromedp.CSS("#comment"), "窗口人员态度生硬，让我下次再来"),
				press("#submit"),
				chromedp.WaitVisible(chromedp.CSS("#thanks-rhythm")),
			))
			if got := text(t, ctx, "#thanks-sms"); got == "" {
				t.Error("the thanks page does not say the link was texted")
			}
			widths(t, ctx, "thanks-bad-"+lang)
			number := text(t, ctx, "#work-order")
			replyTo(t, number, "已约谈当事窗口人员并致歉，加强服务礼仪培训。")

			// Lost the link: find it by number and phone.
			visit(t, ctx, "/find")
			widths(t, ctx, "find-"+lang)
			must(t, chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS("#number"), number),
				chromedp.SendKeys(chromedp.CSS("#phone"), phone),
				press("#find-submit"),
				chromedp.WaitVisible(chromedp.CSS("#code")),
			))
			widths(t, ctx, "find-code-"+lang)
			m, ok := texts.Last(phone, sms.FollowCode)
			if !ok {
				t.Fatal("no code texted")
			}
			must(t, chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS("#code"), codeRE.FindStringSubmatch(m.Text)[1]),
				press("#find-submit"),
				chromedp.WaitVisible(chromedp.CSS("#follow-form")),
				choose("#satisfied-no"),
				chromedp.SendKeys(chromedp.CSS("#reason"), "没有说明以后怎么避免"),
				press("#follow-submit"),
				chromedp.WaitVisible(chromedp.CSS("#follow-done")),
			))
			if got := text(t, ctx, "#my-comment"); got != "窗口人员态度生硬，让我下次再来" {
				t.Errorf("own comment reads %q", got)
			}
			must(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
			same, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () {
				var dd = document.getElementById("state"), dt = dd.previousElementSibling;
				return Math.abs(dd.getBoundingClientRect().top - dt.getBoundingClientRect().top) < 4;
			})()`))
			must(t, err)
			if !same {
				t.Error("at 390 px the state wraps under its label")
			}
			noOverflow(t, ctx, "follow page")
			widths(t, ctx, "follow-not-satisfied-"+lang)
		})
	}
}
