package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/workorder"
)

var currentStepRE = regexp.MustCompile(`<li class="[^"]*current"[^>]*aria-current="step">([^<]+)</li>`)

// TestFollowPageTellsTheWholeStory: the citizen's comment and problems,
// the unit by name, the due date, each step in words, their "not
// satisfied" reason, and the tracker back at the 12345 step.
func TestFollowPageTellsTheWholeStory(t *testing.T) {
	c := newClient(t)
	rateBad(t, c, url.Values{"tags": {"attitude", "multiple_trips"}, "comment": {"材料交了三次还说不全"}})
	_, thanks := c.get("/thanks")
	number, link := numberRE.FindString(thanks), linkRE.FindString(thanks)
	if number == "" || link == "" {
		t.Fatal("no work order on the thanks page")
	}
	_, body := c.get(link)
	mustContain(t, body, "材料交了三次还说不全", "服务态度", "多次跑动", "您的差评已生成工单")
	if m := currentStepRE.FindStringSubmatch(body); m == nil || m[1] != "12345 热线受理、派单" {
		t.Errorf("current step of a new order: %v", m)
	}

	replyTo(t, number, "已核实并整改。")
	_, body = c.get(link)
	mustContain(t, body, `id="unit">上海市公安局<`, `id="due">`, "承办单位已答复。", "12345 热线已将工单派给承办单位。")
	csrf := csrfRE.FindStringSubmatch(body)[1]
	if resp, _ := c.post(link, url.Values{"csrf": {csrf}, "satisfied": {"no"}, "reason": {"仍要跑三次"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow-up: %d", resp.StatusCode)
	}
	_, body = c.get(link)
	mustContain(t, body, "您表示不满意", "仍要跑三次", `id="unit">上海市公安局<`)
	mustNotContain(t, body, `id="due">`) // back with the operator: no unit deadline runs
	if m := currentStepRE.FindStringSubmatch(body); m == nil || m[1] != "12345 热线受理、派单" {
		t.Errorf("after not satisfied the tracker shows %v, want the 12345 step", m)
	}

	// Round 2 is told as such, in English too.
	ctx := context.Background()
	o, _ := haocha.Store.OrderByNumber(ctx, number)
	svc := workorder.NewService(haocha.Store, haocha.Store.Now)
	if _, err := svc.Act(ctx, account.Actor{Role: account.Operator, Name: "t"}, o.ID, workorder.ActRedispatch,
		workorder.Input{Unit: "SHGA", Complexity: workorder.Complex, Days: 10, Note: "internal note not for the citizen"}); err != nil {
		t.Fatal(err)
	}
	c.get("/prefs?lang=en&back=/")
	_, body = c.get(link)
	mustContain(t, body, "passed it on again", "(round 2)", "You said you were not satisfied", "仍要跑三次", "Public Security Bureau")
	mustNotContain(t, body, "internal note", "story.", "follow.step.")
	if m := currentStepRE.FindStringSubmatch(body); m == nil || m[1] != "The unit is handling it" {
		t.Errorf("re-dispatched: current step %v", m)
	}
}
