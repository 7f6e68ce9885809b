package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/workorder"
)

// newOrder submits a bad review through the API and returns the order's
// private link.
func newOrder(t *testing.T) (number, link string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"channel": "pc", "item": item, "stage": "acceptance", "stars": 2,
		"comment": "网上预约后到现场仍要排队", "anonymous": true})
	resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		WorkOrder string `json:"work_order"`
		FollowUp  string `json:"follow_up"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	if out.WorkOrder == "" {
		t.Fatalf("no work order: %d", resp.StatusCode)
	}
	return out.WorkOrder, out.FollowUp
}

// replyTo dispatches an order to SHGA and has the unit answer.
func replyTo(t *testing.T, number, answer string) {
	t.Helper()
	ctx := context.Background()
	svc := workorder.NewService(haocha.Store, haocha.Store.Now)
	o, err := haocha.Store.OrderByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, account.Actor{Role: account.Operator, Name: "t"}, o.ID, workorder.ActDispatch,
		workorder.Input{Unit: "SHGA", Complexity: workorder.Simple, Days: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, account.Actor{Role: account.Handler, Unit: "SHGA", Name: "t"}, o.ID, workorder.ActReply,
		workorder.Input{Findings: "f", Rectification: "r", Answer: answer}); err != nil {
		t.Fatal(err)
	}
}

func TestFollowUpPage(t *testing.T) {
	number, link := newOrder(t)
	c := newClient(t)
	_, body := c.get(link)
	mustContain(t, body, "已受理，待派单", "承办单位答复后")
	mustNotContain(t, body, `id="follow-form"`)

	replyTo(t, number, "已与预约系统打通，到场无需再排队。")
	_, body = c.get(link)
	mustContain(t, body, `id="reply-answer">已与预约系统打通，到场无需再排队。<`, `id="follow-form"`, "您对处理结果是否满意")
	csrf := csrfRE.FindStringSubmatch(body)[1]

	post := func(form url.Values) string {
		t.Helper()
		resp, _ := c.post(link, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("follow-up answered %d", resp.StatusCode)
		}
		_, page := c.get(resp.Header.Get("Location"))
		return page
	}
	// Neither choice, then "not satisfied" without a reason: the page says
	// what is missing, by the field, and nothing is taken.
	mustContain(t, post(url.Values{"csrf": {csrf}}), `id="satisfied-error"`)
	mustContain(t, post(url.Values{"csrf": {csrf}, "satisfied": {"no"}}), `id="reason-error"`, "请说明不满意的原因")
	if o, _ := haocha.Store.OrderByNumber(context.Background(), number); o.State != workorder.Replied {
		t.Fatalf("state %s after refused follow-ups", o.State)
	}
	// A forged form is refused.
	if resp, _ := c.post(link, url.Values{"csrf": {"forged"}, "satisfied": {"yes"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("forged follow-up: %d, want 403", resp.StatusCode)
	}
	page := post(url.Values{"csrf": {csrf}, "satisfied": {"no"}, "reason": {"周末仍需排队"}})
	mustContain(t, page, `id="follow-done"`, "已转回12345热线")
	mustNotContain(t, page, `id="follow-form"`)
	if o, _ := haocha.Store.OrderByNumber(context.Background(), number); o.State != workorder.NotSatisfied || o.FollowUpNote != "周末仍需排队" {
		t.Errorf("after not satisfied: %s %q", o.State, o.FollowUpNote)
	}
	// In English too.
	c.get("/prefs?lang=en&back=/")
	_, body = c.get(link)
	mustContain(t, body, "Not satisfied: back with the 12345 hotline")
	if strings.Contains(body, "state.") {
		t.Error("an untranslated key on the page")
	}
}
