package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/review"
)

// ratingForm is a filled-in workstation form.
func ratingForm(csrf string, kv ...string) url.Values {
	number, proof, err := serve(workstation, item)
	if err != nil {
		panic(err)
	}
	v := url.Values{"csrf": {csrf}, "t": {token(workstation)}, "item": {item}, "stage": {"acceptance"},
		"stars": {"4"}, "anonymous": {"1"}, "transaction": {number}, "p": {proof}}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

func TestWorkstationLandingKnowsThePlace(t *testing.T) {
	c := newClient(t)
	resp, body := c.get(landing(workstation))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, body, "黄浦区行政服务中心", "1号窗口", "1号窗口1号工位", `id="staff"`,
		`<option value="SHGA-001"`, "办事准确", "服务态度", `name="anonymous"`)
	// Without JavaScript the tags are shown with a note saying when they apply.
	mustContain(t, body, "选择 1–2 星时请勾选问题")

	// The item list is that hall's, and can be narrowed without JavaScript.
	_, body = c.get(landing(workstation) + "&q=" + url.QueryEscape("身份证"))
	if n := strings.Count(body, "<option value=\"SH"); n == 0 || strings.Contains(body, `value="SHJXW-`) {
		t.Errorf("search for 身份证 lists %d items, or unrelated ones", n)
	}
}

func TestFormRefusalsShowNextToTheFieldAndKeepWhatWasTyped(t *testing.T) {
	tests := []struct {
		name    string
		change  []string
		errID   string
		message string
		kept    []string
	}{
		{"no stars", []string{"stars", "", "comment", "窗口人很多"}, "stars-error", "请选择 1–5 星", []string{"窗口人很多"}},
		{"stage the item lacks", []string{"stage", "nonexistent"}, "stage-error", "请选择该事项的办理环节", nil},
		// The transaction gives the item: one it was not is refused.
		{"another item", []string{"item", "SHGA-002"}, "item-error", "请选择办理的事项", nil},
		{"real name without a name", []string{"anonymous", "0", "phone", "13800000000"}, "name-error", "实名评价请填写姓名", []string{`value="13800000000"`}},
		{"bad phone", []string{"anonymous", "0", "name", "王小明", "phone", "12345"}, "phone-error", "请填写正确的手机号码", []string{`value="王小明"`, `value="12345"`}},
		{"dimension out of range", []string{"dim-accuracy", "9"}, "dim-accuracy", "分项评分须为 1–5 分", nil},
		{"unknown tag", []string{"tags", "rude"}, "tags", "请从列表中选择问题", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := count(t, review.Filter{Workstation: workstation})
			c := newClient(t)
			csrf := c.openForm(landing(workstation))
			resp, body := c.post("/r/"+workstation, ratingForm(csrf, tt.change...))
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", resp.StatusCode)
			}
			mustContain(t, body, `id="form-errors"`, tt.message, `href="#`+strings.TrimSuffix(tt.errID, "-error")+`"`)
			// The message sits in the field's own block.
			if !regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(strings.TrimSuffix(tt.errID, "-error")) + `"[^>]*>.{0,800}` + regexp.QuoteMeta(tt.message)).MatchString(body) {
				t.Errorf("message %q is not next to the field", tt.message)
			}
			mustContain(t, body, tt.kept...)
			if after := count(t, review.Filter{Workstation: workstation}); after != before {
				t.Errorf("a refused form stored a review: %d → %d", before, after)
			}
		})
	}
}

func TestRefusalInEnglish(t *testing.T) {
	c := newClient(t)
	c.get("/prefs?lang=en")
	csrf := c.openForm(landing(workstation))
	_, body := c.post("/r/"+workstation, ratingForm(csrf, "stars", ""))
	mustContain(t, body, "Choose 1 to 5 stars", `lang="en"`)
}

func TestFormWithoutValidTokenIsKeptNotStored(t *testing.T) {
	before := count(t, review.Filter{Workstation: workstation})
	c := newClient(t)
	c.openForm(landing(workstation))
	resp, body := c.post("/r/"+workstation, ratingForm("forged-token", "comment", "请保留这段话"))
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", resp.StatusCode)
	}
	mustContain(t, body, `id="form-expired"`, "请保留这段话")
	// A second submit with the fresh token in the page goes through.
	m := csrfRE.FindStringSubmatch(body)
	resp, _ = c.post("/r/"+workstation, ratingForm(m[1], "comment", "请保留这段话"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit: status %d, want 303", resp.StatusCode)
	}
	if after := count(t, review.Filter{Workstation: workstation}); after != before+1 {
		t.Errorf("reviews %d → %d, want one more", before, after)
	}

	// Another site's form: the browser sends the cookie, not the token.
	stranger := newClient(t)
	resp, _ = stranger.post("/r/"+workstation, ratingForm(""))
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("form without cookie or token: status %d, want 403", resp.StatusCode)
	}
}

func TestBadReviewGivesWorkOrderAndPrivateLink(t *testing.T) {
	c := newClient(t)
	csrf := c.openForm(landing(workstation))
	resp, _ := c.post("/r/"+workstation, ratingForm(csrf, "stars", "1", "tags", "multiple_trips", "comment", "跑了三次"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/thanks" {
		t.Fatalf("status %d to %q, want 303 to /thanks", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := c.get("/thanks")
	number := regexp.MustCompile(`id="work-order"[^>]*>(GD\d+)<`).FindStringSubmatch(body)
	link := regexp.MustCompile(`id="follow-link" href="(/follow/[A-Za-z0-9_-]+)"`).FindStringSubmatch(body)
	if number == nil || link == nil {
		t.Fatalf("confirmation lacks the work-order number or the private link:\n%s", body)
	}
	mustContain(t, body, "12345", srv.URL+link[1])

	// The private link shows the order's state, to anyone holding it.
	_, body = newClient(t).get(link[1])
	mustContain(t, body, number[1], `data-state="new"`, "已受理，待派单", "非常不满意")
	resp, _ = newClient(t).get("/follow/not-a-real-token")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown follow-up token: status %d, want 404", resp.StatusCode)
	}
}

func TestGoodReviewThanksWithoutWorkOrder(t *testing.T) {
	c := newClient(t)
	csrf := c.openForm("/items/" + item + "/rate")
	resp, _ := c.post("/items/"+item+"/rate", url.Values{"csrf": {csrf}, "stage": {"decision"}, "stars": {"5"}, "anonymous": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", resp.StatusCode)
	}
	_, body := c.get("/thanks")
	mustContain(t, body, "感谢您的评价", "我们会继续努力")
	mustNotContain(t, body, "work-order", "/follow/")
}

func TestChannelFollowsHowThePageWasReached(t *testing.T) {
	tests := []struct {
		name, path, ua string
		want           review.Channel
	}{
		{"portal", "/items/SHGA-002/rate", "Mozilla/5.0 (X11; Linux x86_64) Chrome/130", review.PC},
		{"wechat browser", "/items/SHGA-002/rate", "Mozilla/5.0 (iPhone) MicroMessenger/8.0.50", review.WeChat},
		{"alipay browser", "/items/SHGA-002/rate", "Mozilla/5.0 (Linux; Android 14) AlipayClient/10.6", review.Alipay},
		{"city app browser", "/items/SHGA-002/rate", "Mozilla/5.0 (iPhone) SuiShenBan/7.2", review.App},
		{"link from the app", "/items/SHGA-002/rate?src=app", "Mozilla/5.0", review.App},
		{"link from wechat", "/units/SHGA/rate?src=wechat", "Mozilla/5.0", review.WeChat},
		{"unknown src", "/items/SHGA-002/rate?src=evil", "Mozilla/5.0", review.PC},
		{"device's code scanned in WeChat", provenFor(t, otherWS, "SHGA-002"), "Mozilla/5.0 MicroMessenger/8.0", review.Window},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countRaw(t, review.Filter{Item: "SHGA-002", Channel: tt.want})
			c := newClient(t)
			c.ua = tt.ua
			csrf := c.openForm(tt.path)
			form := url.Values{"csrf": {csrf}, "item": {"SHGA-002"}, "stage": {"acceptance"}, "stars": {"5"}, "anonymous": {"1"}}
			u, _ := url.Parse(tt.path)
			for _, k := range []string{"t", "p"} {
				if v := u.Query().Get(k); v != "" {
					form.Set(k, v)
				}
			}
			if txn := u.Query().Get("txn"); txn != "" {
				form.Set("transaction", txn)
			}
			if src := u.Query().Get("src"); src != "" {
				form.Set("src", src)
			}
			resp, body := c.post(u.Path, form)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d:\n%s", resp.StatusCode, body)
			}
			if after := countRaw(t, review.Filter{Item: "SHGA-002", Channel: tt.want}); after != before+1 {
				t.Errorf("reviews on channel %s: %d → %d, want one more", tt.want, before, after)
			}
		})
	}
}

func TestUnitRateIsCountedForTheUnit(t *testing.T) {
	before := count(t, review.Filter{District: "310104"})
	c := newClient(t)
	csrf := c.openForm("/units/310104/rate")
	resp, _ := c.post("/units/310104/rate", url.Values{"csrf": {csrf}, "item": {item}, "stage": {"acceptance"}, "stars": {"3"}, "anonymous": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if after := count(t, review.Filter{District: "310104"}); after != before+1 {
		t.Errorf("district reviews %d → %d, want one more", before, after)
	}
}

func TestTooManyReviewsFromOneDeviceKeepsTheForm(t *testing.T) {
	haocha.Intake.Limit.Max = 1
	defer func() { haocha.Intake.Limit.Max = 0 }()
	c := newClient(t)
	c.ua = "Mozilla/5.0 (rate-limit test device)"
	csrf := c.openForm(landing(workstation))
	if resp, _ := c.post("/r/"+workstation, ratingForm(csrf)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first review: status %d", resp.StatusCode)
	}
	resp, body := c.post("/r/"+workstation, ratingForm(csrf, "comment", "第二条评价"))
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second review: status %d, want 429", resp.StatusCode)
	}
	mustContain(t, body, `id="submit-error"`, "提交过于频繁", "第二条评价")
}
