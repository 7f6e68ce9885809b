package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
)

// texts are the messages the test server sent.
var texts = &sms.Memory{}

var (
	linkRE   = regexp.MustCompile(`/follow/[A-Za-z0-9_-]+`)
	codeRE   = regexp.MustCompile(`验证码：(\d{6})`)
	numberRE = regexp.MustCompile(`GD\d{14}`)
)

// forgetAttempts clears the look-up counts: every test client comes from
// 127.0.0.1, one address for the limit.
func forgetAttempts(t *testing.T) {
	t.Helper()
	if _, err := haocha.Store.DB().Exec("DELETE FROM follow_attempts"); err != nil {
		t.Fatal(err)
	}
}

// rateBad posts a 1-star review from the item form with form values more.
func rateBad(t *testing.T, c *client, more url.Values) (*http.Response, string) {
	t.Helper()
	path := "/items/" + item + "/rate"
	form := url.Values{"csrf": {c.openForm(path)}, "stage": {"acceptance"}, "stars": {"1"}, "anonymous": {"1"}}
	for k, v := range more {
		form[k] = v
	}
	return c.post(path, form)
}

func TestBadReviewAsksWhatWentWrong(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			c := newClient(t)
			c.get("/prefs?lang=" + lang + "&back=/")
			before := count(t, reviewFilterItem())
			resp, body := rateBad(t, c, nil)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("bare bad review: %d, want 422 asking for details", resp.StatusCode)
			}
			ask := map[string]string{"zh": "遇到了什么问题", "en": "What went wrong?"}[lang]
			mustContain(t, body, ask, `id="bare"`, `href="#tags"`)
			if n := count(t, reviewFilterItem()); n != before {
				t.Errorf("stored %d reviews before the citizen answered", n-before)
			}

			// Sent as it is on purpose: stored, and the thanks page says
			// no work order was opened and why.
			resp, _ = rateBad(t, c, url.Values{"bare": {"1"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("confirmed bare review: %d", resp.StatusCode)
			}
			_, body = c.get("/thanks")
			none := map[string]string{"zh": "不会生成工单", "en": "opens no work order"}[lang]
			mustContain(t, body, none)
			mustNotContain(t, body, "/follow/")

			// With a tag: a work order, its number and the 1-5-15 rhythm.
			rateBad(t, c, url.Values{"tags": {"attitude"}})
			_, body = c.get("/thanks")
			rhythm := map[string]string{"zh": "最迟 15 个工作日", "en": "15 at most"}[lang]
			mustContain(t, body, rhythm, `id="work-order"`, "/follow/")
		})
	}
}

func TestRealNameReviewGetsItsLinkBySMS(t *testing.T) {
	c := newClient(t)
	const phone = "13911112222"
	rateBad(t, c, url.Values{"comment": {"窗口让我跑了三次"}, "anonymous": {"0"}, "name": {"张三"}, "phone": {phone}})
	_, body := c.get("/thanks")
	m, ok := texts.Last(phone, sms.FollowLink)
	if !ok {
		t.Fatal("no SMS with the private link")
	}
	link := linkRE.FindString(m.Text)
	if link == "" || !strings.Contains(body, link) || !strings.Contains(m.Text, "http://localhost"+link) {
		t.Errorf("SMS %q does not carry the page's link", m.Text)
	}
	mustContain(t, body, "139****2222")
	mustNotContain(t, body, phone)
}

func TestFindMyOrderByNumberAndPhone(t *testing.T) {
	forgetAttempts(t)
	c := newClient(t)
	const phone = "13933334444"
	rateBad(t, c, url.Values{"tags": {"multiple_trips"}, "anonymous": {"0"}, "name": {"王五"}, "phone": {phone}})
	_, thanks := c.get("/thanks")
	number := numberRE.FindString(thanks)
	if number == "" {
		t.Fatal("no work order on the thanks page")
	}

	// The answer is the same for a matching pair, a wrong phone and an
	// unknown number, and only the match sends a code.
	ask := func(number, phone string) string {
		c := newClient(t)
		_, body := c.post("/find", url.Values{"csrf": {c.openForm("/find")}, "number": {number}, "phone": {phone}})
		return csrfRE.ReplaceAllString(body, "")
	}
	sent := len(texts.Sent())
	match := ask(number, phone)
	if len(texts.Sent()) != sent+1 {
		t.Fatalf("a matching pair sent %d messages", len(texts.Sent())-sent)
	}
	for _, other := range [][2]string{{number, "13900000000"}, {"GD20990101000001", phone}} {
		got := strings.ReplaceAll(ask(other[0], other[1]), other[0], number)
		if got != match {
			t.Errorf("the answer for %v differs from a match's", other)
		}
	}
	if len(texts.Sent()) != sent+1 {
		t.Errorf("pairs that do not match sent %d messages", len(texts.Sent())-sent-1)
	}

	m, _ := texts.Last(phone, sms.FollowCode)
	code := codeRE.FindStringSubmatch(m.Text)[1]
	c2 := newClient(t)
	token := c2.openForm("/find")
	resp, body := c2.post("/find/code", url.Values{"csrf": {token}, "number": {number}, "code": {"000000"}})
	if code != "000000" && (resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "验证码不正确")) {
		t.Errorf("wrong code: %d", resp.StatusCode)
	}
	resp, _ = c2.post("/find/code", url.Values{"csrf": {token}, "number": {number}, "code": {code}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/follow/") {
		t.Fatalf("right code: %d %q", resp.StatusCode, loc)
	}
	_, page := c2.get(loc)
	mustContain(t, page, number)
}

func TestFindLimitsAndFields(t *testing.T) {
	forgetAttempts(t)
	c := newClient(t)
	resp, body := c.post("/find", url.Values{"csrf": {c.openForm("/find")}, "number": {"GD1"}, "phone": {"12"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="phone-error"`) {
		t.Errorf("bad phone: %d", resp.StatusCode)
	}
	_, body = c.get("/find")
	mustContain(t, body, "匿名评价没有留下手机号")
	forgetAttempts(t)
	for i := 0; i < 6; i++ {
		resp, body = c.post("/find", url.Values{"csrf": {c.openForm("/find")}, "number": {"GD2099010100000" + string(rune('0'+i))}, "phone": {"13900000000"}})
	}
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "尝试次数过多") {
		t.Errorf("sixth request from one address in an hour: %d", resp.StatusCode)
	}
	forgetAttempts(t)
}

func reviewFilterItem() review.Filter { return review.Filter{Item: item} }
