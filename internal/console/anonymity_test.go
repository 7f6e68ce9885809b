package console_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAnonymousStaysAnonymousToTheUnit: of an anonymous review no staff
// member (the rated unit's handler, the operator who routes the order, the
// supervisor) sees the transaction number (it names the applicant), a
// contact or a time finer than the day, in the order, the list and the
// page; the order page says the day alone.
func TestAnonymousStaysAnonymousToTheUnit(t *testing.T) { eachBackend(t, testAnonymousStaysAnonymous) }

func testAnonymousStaysAnonymous(t *testing.T, e *env) {
	e.clock.Set(at(t, "2026-03-02 10:47"))
	out := e.must(http.StatusCreated, "POST", "/api/v1/reviews", "", map[string]any{
		"channel": "window", "workstation": "H1-W1-01", "item": "SHGA-001", "stage": "acceptance", "stars": 1,
		"tags": []string{"attitude"}, "comment": "态度很差", "anonymous": true, "transaction": "BJ2026030200000042"})
	number := out["work_order"].(string)
	e.clock.Add(90 * time.Minute)
	e.must(200, "POST", "/api/v1/orders/"+number+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 1})

	const minute, midnight = "2026-03-02T02:47:00Z", "2026-03-01T16:00:00Z" // 10:47 and 00:00 in Shanghai
	for _, tt := range []struct {
		who         string
		txn, at     any
		orderMinute bool
	}{
		{"operator", nil, midnight, false},
		{"supervisor", nil, midnight, false},
		{"handlerA", nil, midnight, false},
	} {
		got := e.must(200, "GET", "/api/v1/orders/"+number, tt.who, nil)
		rv := got["review"].(map[string]any)
		if rv["transaction"] != tt.txn || rv["created_at"] != tt.at || rv["reviewer"] != nil {
			t.Errorf("%s sees transaction %v at %v, reviewer %v; want %v at %v, no reviewer", tt.who, rv["transaction"], rv["created_at"], rv["reviewer"], tt.txn, tt.at)
		}
		if created := got["created_at"]; (created == minute) != tt.orderMinute {
			t.Errorf("%s sees the order opened at %v", tt.who, created)
		}
		list := e.must(200, "GET", "/api/v1/orders", tt.who, nil)
		for _, o := range list["orders"].([]any) {
			if o := o.(map[string]any); o["number"] == number && (o["created_at"] == minute) != tt.orderMinute {
				t.Errorf("%s lists the order opened at %v", tt.who, o["created_at"])
			}
		}
	}
	for _, who := range []string{"handlerA", "operator", "supervisor"} {
		page := e.login(who, password).get("/console/orders/" + number)
		for _, leak := range []string{"BJ2026030200000042", "10:47", "00:00"} {
			if strings.Contains(page, leak) {
				t.Errorf("the %s's order page shows %q", who, leak)
			}
		}
		if !strings.Contains(page, "2026-03-02") {
			t.Errorf("the %s's order page does not say the day the review came", who)
		}
		queue := e.login(who, password).get("/console/orders?view=open")
		if strings.Contains(queue, "10:47") {
			t.Errorf("the %s's list shows the minute of the review", who)
		}
	}
}
