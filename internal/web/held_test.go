package web_test

import (
	"context"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/fraud"
)

// holdEvery makes screening hold every review until the test ends.
func holdEvery(t *testing.T) {
	screening.Rules = []fraud.Rule{{Signal: fraud.UnitVelocity, At: 1, Window: time.Hour, Weight: 1}}
	t.Cleanup(func() { screening.Rules = nil })
}

// A held review tells the citizen the truth: received and being checked,
// not transferred to 12345, on the receipt and on the follow page, in
// both languages; once released, the follow page shows it with 12345.
func TestHeldReviewIsReceivedAndBeingChecked(t *testing.T) {
	words := map[string]struct{ held, order, new string }{
		"zh": {"正在核查", "已转为 12345 工单", "已受理，待派单"},
		"en": {"being checked", "has become a 12345 hotline work order", "Received, awaiting dispatch"},
	}
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			holdEvery(t)
			c := newClient(t)
			c.get("/prefs?lang=" + lang + "&back=/")
			rateBad(t, c, url.Values{"tags": {"attitude"}, "comment": {"窗口说材料不全，却不说缺什么"}})
			_, thanks := c.get("/thanks")
			mustContain(t, thanks, `id="thanks-held"`, w.held)
			mustNotContain(t, thanks, w.order, `id="thanks-rhythm"`)
			link, number := linkRE.FindString(thanks), numberRE.FindString(thanks)
			if link == "" || number == "" {
				t.Fatal("a held bad review's receipt has no follow link or number")
			}
			_, body := c.get(link)
			mustContain(t, body, `data-state="held"`, w.held)
			mustNotContain(t, body, w.new)

			ctx := context.Background()
			o, err := haocha.Store.OrderByNumber(ctx, number)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := haocha.Store.ReleaseHeld(ctx, []int64{o.Review}, "supervisor", "a real citizen"); err != nil || n != 1 {
				t.Fatalf("release: %d, %v", n, err)
			}
			_, body = c.get(link)
			mustContain(t, body, `data-state="new"`, w.new)
		})
	}
}

// A signed-in citizen's held review is shown on /me as received and
// being checked, not as a new order; once released, as new.
func TestMyHeldReviewIsBeingChecked(t *testing.T) {
	forgetAttempts(t)
	c := newClient(t)
	signIn(t, c, "13700004321", "/me")
	holdEvery(t)
	rateBad(t, c, url.Values{"tags": {"attitude"}, "comment": {"窗口说材料不全"}})
	number := numberRE.FindString(c.page("/thanks"))
	if number == "" {
		t.Fatal("a held bad review's receipt has no number")
	}
	mine := c.page("/me")
	state := regexp.MustCompile(`id="my-order-state-` + number + `">([^<]*)<`)
	if m := state.FindStringSubmatch(mine); m == nil || m[1] != "已收到，正在核查" {
		t.Fatalf("/me shows the held order as %v, want 已收到，正在核查", m)
	}
	o, err := haocha.Store.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := haocha.Store.ReleaseHeld(context.Background(), []int64{o.Review}, "supervisor", "a real citizen"); err != nil || n != 1 {
		t.Fatalf("release: %d, %v", n, err)
	}
	if m := state.FindStringSubmatch(c.page("/me")); m == nil || m[1] != "新工单" {
		t.Errorf("/me shows the released order as %v, want 新工单", m)
	}
}
