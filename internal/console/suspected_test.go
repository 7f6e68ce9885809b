package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// heldBurst posts six bad reviews of one workstation with one comment,
// which the detectors hold, and returns their orders.
func (e *env) heldBurst() []string {
	e.t.Helper()
	var numbers []string
	for range 6 {
		e.clock.Add(time.Second)
		n, _ := e.badReview(true)
		numbers = append(numbers, n)
	}
	return numbers
}

func heldIDs(t *testing.T, out map[string]any) (ids []float64, orders []string) {
	t.Helper()
	list, _ := out["reviews"].([]any)
	for _, v := range list {
		m := v.(map[string]any)
		ids = append(ids, m["id"].(float64))
		o, _ := m["work_order"].(string)
		orders = append(orders, o)
	}
	return ids, orders
}

func TestSuspectedQueueAuthority(t *testing.T) {
	e := newEnv(t)
	e.heldBurst()
	for _, who := range []string{"operator", "handlerA", "staff", "admin"} {
		if st, _ := e.call("GET", "/api/v1/suspected", who, nil); st != http.StatusForbidden {
			t.Errorf("GET /api/v1/suspected as %s = %d, want 403", who, st)
		}
		if st, _ := e.call("POST", "/api/v1/suspected/release", who, map[string]any{"reviews": []int{1}, "reason": "x"}); st != http.StatusForbidden {
			t.Errorf("release as %s = %d, want 403", who, st)
		}
	}
	if st, _ := e.call("GET", "/api/v1/suspected", "", nil); st != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/suspected anonymously = %d, want 401", st)
	}
	op := e.login("operator", password)
	if st := op.status("/console/suspected"); st != http.StatusForbidden {
		t.Errorf("the operator's /console/suspected = %d, want 403", st)
	}
	if st, out := e.call("GET", "/api/v1/suspected?limit=0", "supervisor", nil); st != 422 || out["field"] != "limit" {
		t.Errorf("limit=0: %d %v, want 422 naming limit", st, out)
	}
}

func TestSuspectedReleaseAndReject(t *testing.T) {
	e := newEnv(t)
	e.heldBurst()
	first := e.must(200, "GET", "/api/v1/suspected?limit=4", "supervisor", nil)
	ids, orders := heldIDs(t, first)
	cursor, _ := first["next_cursor"].(string)
	if len(ids) != 4 || cursor == "" {
		t.Fatalf("first page: %d reviews, cursor %q; want 4 and a cursor", len(ids), cursor)
	}
	rest, _ := heldIDs(t, e.must(200, "GET", "/api/v1/suspected?limit=4&cursor="+cursor, "supervisor", nil))
	if len(rest) != 2 {
		t.Fatalf("second page: %d reviews, want 2", len(rest))
	}
	r0 := first["reviews"].([]any)[0].(map[string]any)
	if r0["unit_name"] != "黄浦区" || !strings.Contains(fmt.Sprint(r0["workstation_name"]), "1号工位") ||
		!strings.Contains(fmt.Sprint(r0["findings"]), "signal:text") {
		t.Errorf("held review %v: want names and the same-text finding", r0)
	}
	queue := e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil)
	for _, n := range orders {
		if listHas(queue, n) {
			t.Fatalf("held review's order %s is in the operator's queue", n)
		}
	}
	if st, out := e.call("POST", "/api/v1/suspected/release", "supervisor", map[string]any{"reviews": ids[:2]}); st != 422 || out["field"] != "reason" {
		t.Errorf("release without a reason: %d %v, want 422 naming reason", st, out)
	}
	out := e.must(200, "POST", "/api/v1/suspected/release", "supervisor", map[string]any{"reviews": ids[:2], "reason": "两位市民当面核实"})
	if out["decided"] != 2.0 {
		t.Errorf("release decided %v, want 2", out["decided"])
	}
	out = e.must(200, "POST", "/api/v1/suspected/reject", "supervisor", map[string]any{"reviews": ids[1:4], "reason": "脚本刷评"})
	if out["decided"] != 2.0 {
		t.Errorf("reject decided %v, want 2 (one was released already)", out["decided"])
	}
	stats := e.must(200, "GET", "/api/v1/stats?workstation=H1-W1-01", "", nil)
	if stats["total"] != 2.0 {
		t.Errorf("workstation stats count %v after releasing 2, want 2", stats["total"])
	}
	queue = e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil)
	for i, n := range orders {
		if in := listHas(queue, n); in != (i < 2) {
			t.Errorf("order %s (review %d) in the operator's queue: %v, want %v", n, i, in, i < 2)
		}
	}
	left, _ := heldIDs(t, e.must(200, "GET", "/api/v1/suspected", "supervisor", nil))
	if len(left) != 2 {
		t.Errorf("%d reviews await a decision, want 2", len(left))
	}

	// The page: one language, names, reasons in words, bulk release.
	sup := e.login("supervisor", password)
	page := sup.get("/console/suspected")
	for _, want := range []string{"黄浦区", "1号工位", "条相同或相近的评价内容", `name="review"`} {
		if !strings.Contains(page, want) {
			t.Errorf("suspected page lacks %q", want)
		}
	}
	if strings.Contains(page, "Suspected reviews") || strings.Contains(page, "H1-W1-01") {
		t.Error("the Chinese page shows English words or a workstation code")
	}
	form := url.Values{"review": {fmt.Sprint(left[0]), fmt.Sprint(left[1])}, "reason": {"核实为真实评价"}}
	if st := sup.post("/console/suspected/release", form, true); st != http.StatusSeeOther {
		t.Fatalf("page release = %d: %.300s", st, sup.last)
	}
	if page := sup.get("/console/suspected?action=release&done=2"); !strings.Contains(page, "已放行 2 条评价") {
		t.Errorf("after release the page says: %.500s", page)
	}
	if stats := e.must(200, "GET", "/api/v1/stats?workstation=H1-W1-01", "", nil); stats["total"] != 4.0 {
		t.Errorf("stats count %v after releasing 4, want 4", stats["total"])
	}
}

// A staff member signs in from an address; a review of their unit from
// that address is held with that reason, a review of another unit is not.
func TestStaffNetworkHoldsReview(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		review := func(sub map[string]any) map[string]any {
			e.clock.Add(time.Minute)
			out := e.must(http.StatusCreated, "POST", "/api/v1/reviews", "", sub)
			held, _ := heldIDs(t, e.must(200, "GET", "/api/v1/suspected", "supervisor", nil))
			for _, id := range held {
				if fmt.Sprint(id) == out["id"] {
					return out
				}
			}
			return nil
		}
		own := map[string]any{"channel": "window", "workstation": "H1-W1-01", "item": "SHGA-001", "stage": "acceptance",
			"stars": 5, "anonymous": true}
		if review(own) != nil {
			t.Fatal("a review is held before any staff member signed in")
		}
		e.login("staff", password)
		if review(own) == nil {
			t.Fatal("a review of the staff member's own unit from their sign-in address is not held")
		}
		other := map[string]any{"channel": "pc", "item": "SHGA-001", "stage": "acceptance", "stars": 5, "anonymous": true}
		if review(other) != nil {
			t.Error("a review of another unit from the staff member's address is held")
		}
		list := e.must(200, "GET", "/api/v1/suspected", "supervisor", nil)
		if !strings.Contains(fmt.Sprint(list["reviews"]), "signal:staff") {
			t.Errorf("held review without the staff-network reason: %v", list["reviews"])
		}
	})
}
