package console_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/store/storetest"
)

// The operator cannot dispatch the order of a held review: the API
// answers 409 naming held, the console's order page says why and offers
// no dispatch, and the queue leaves it out until a supervisor releases it.
func TestHeldOrderIsNotDispatched(t *testing.T) {
	holdAll := &fraud.Rules{Threshold: 1, Rules: []fraud.Rule{{Signal: fraud.UnitVelocity, At: 1, Window: time.Hour, Weight: 1}}}
	e := newEnvConfig(t, storetest.SQLiteDSN(t), discardLog(), func(c *app.Config) { c.Fraud = holdAll })
	number, _ := e.badReview(false)
	path := "/api/v1/orders/" + number + "/dispatch"
	assign := map[string]any{"unit": unitA, "complexity": "simple", "days": 0}
	code, body := e.call("POST", path, "operator", assign)
	if code != 409 || body["field"] != "held" || !strings.Contains(body["error"].(string), "supervisor must release") {
		t.Fatalf("dispatching a held order: %d %v, want 409 naming held", code, body)
	}
	op := e.login("operator", password)
	if strings.Contains(op.get("/console/orders"), number) {
		t.Error("the held order is in the operator's queue")
	}
	page := op.get("/console/orders/" + number)
	if !strings.Contains(page, `id="held-note"`) || strings.Contains(page, `id="dispatch"`) {
		t.Error("the order page of a held order offers dispatch or does not say why not")
	}

	o := e.order(number)
	if n, err := e.st.ReleaseHeld(context.Background(), []int64{o.Review}, "supervisor", "a real citizen"); err != nil || n != 1 {
		t.Fatalf("release: %d, %v", n, err)
	}
	if !strings.Contains(op.get("/console/orders"), number) {
		t.Error("the released order is not in the operator's queue")
	}
	if st := op.post("/console/orders/"+number+"/dispatch", url.Values{"unit": {unitA}, "complexity": {"simple"}, "days": {"0"}}, true); st != 200 {
		t.Errorf("dispatching the released order from the console: %d", st)
	}
	if e.order(number).State != "dispatched" {
		t.Error("the released order was not dispatched")
	}
}
