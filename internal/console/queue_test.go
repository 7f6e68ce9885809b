package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// numbers are the work-order numbers of an orders answer, in its order,
// with their dispatch_late flags.
func numbers(out map[string]any) (nums []string, late map[string]bool) {
	late = map[string]bool{}
	list, _ := out["orders"].([]any)
	for _, o := range list {
		m := o.(map[string]any)
		n := m["number"].(string)
		nums = append(nums, n)
		late[n], _ = m["dispatch_late"].(bool)
	}
	return nums, late
}

// The operator's queue puts first what is late (past due with a unit, or
// waiting for dispatch past one working day), then the rest, each oldest
// first; an order left new too long says so.
func TestQueueByUrgencyWithDispatchLate(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		dispatch := func(n string) {
			e.must(200, "POST", "/api/v1/orders/"+n+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})
		}
		waiting, _ := e.badReview(false) // Monday 09:00, never dispatched
		e.clock.Set(at(t, "2026-03-02 10:00"))
		overdueMon, _ := e.badReview(false)
		dispatch(overdueMon) // due Monday 17:30
		e.clock.Set(at(t, "2026-03-03 09:00"))
		fresh, _ := e.badReview(false) // Tuesday: due for dispatch Wednesday evening
		e.clock.Set(at(t, "2026-03-03 10:00"))
		overdueTue, _ := e.badReview(false)
		dispatch(overdueTue) // due Tuesday 17:30
		e.clock.Set(at(t, "2026-03-04 14:00"))
		e.renewTokens()

		nums, late := numbers(e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil))
		want := []string{waiting, overdueMon, overdueTue, fresh}
		if !slices.Equal(nums, want) {
			t.Fatalf("queue order %v, want %v", nums, want)
		}
		if !late[waiting] || late[fresh] || late[overdueMon] {
			t.Errorf("dispatch_late %v: want only %s", late, waiting)
		}
		one := e.must(200, "GET", "/api/v1/orders/"+waiting, "operator", nil)
		if one["dispatch_late"] != true {
			t.Errorf("order %s: dispatch_late %v", waiting, one["dispatch_late"])
		}
		c := e.login("operator", password)
		page := c.get("/console/orders?view=queue")
		if strings.Count(page, "派单超时") != 1 {
			t.Errorf("queue page should flag one order 派单超时:\n%s", page)
		}
		if !strings.Contains(c.get("/console/orders/"+waiting), "派单超时") {
			t.Errorf("order page of %s does not say it is late for dispatch", waiting)
		}

		// Thursday: the Tuesday order is late too, and moves up.
		e.clock.Set(at(t, "2026-03-05 09:00"))
		e.renewTokens()
		nums, late = numbers(e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil))
		if want := []string{waiting, overdueMon, fresh, overdueTue}; !slices.Equal(nums, want) || !late[fresh] {
			t.Fatalf("Thursday queue %v (late %v), want %v", nums, late, want)
		}
	})
}

// Paging forward and back through a list gives every order exactly once,
// in the list's order, whatever the page size.
func TestPagingNeverRepeatsOrSkips(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		for i := 0; i < 9; i++ {
			n, _ := e.badReview(false)
			if i%3 == 0 {
				e.must(200, "POST", "/api/v1/orders/"+n+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})
			}
			e.clock.Add(7 * 3600e9) // some late for dispatch, some overdue
		}
		e.renewTokens()
		// Each view, also read in another order (?sort=).
		for _, view := range []string{"queue", "open", "", "queue&sort=due", "&sort=due", "open&sort=state", "queue&sort=received"} {
			all, _ := numbers(e.must(200, "GET", "/api/v1/orders?limit=100&view="+view, "operator", nil))
			for _, size := range []int{1, 2, 4, 100} {
				var seen []string
				var last map[string]any
				cursor := ""
				for range 20 {
					last = e.must(200, "GET", fmt.Sprintf("/api/v1/orders?view=%s&limit=%d&cursor=%s", view, size, url.QueryEscape(cursor)), "operator", nil)
					got, _ := numbers(last)
					seen = append(seen, got...)
					if cursor, _ = last["next_cursor"].(string); cursor == "" {
						break
					}
				}
				if !slices.Equal(seen, all) {
					t.Fatalf("view %q, pages of %d: %v, want %v", view, size, seen, all)
				}
				// And back from the last page.
				got, _ := numbers(last)
				back := got
				for cursor, _ = last["prev_cursor"].(string); cursor != ""; cursor, _ = last["prev_cursor"].(string) {
					last = e.must(200, "GET", fmt.Sprintf("/api/v1/orders?view=%s&limit=%d&cursor=%s", view, size, url.QueryEscape(cursor)), "operator", nil)
					got, _ := numbers(last)
					back = append(got, back...)
				}
				if !slices.Equal(back, all) {
					t.Fatalf("view %q, pages of %d backwards: %v, want %v", view, size, back, all)
				}
			}
		}
		if len(e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil)["orders"].([]any)) == 0 {
			t.Fatal("empty queue")
		}
		for _, bad := range []string{"cursor=zz", "cursor=eC4xLjIuMy40", "limit=1001", "limit=0"} {
			status := http.StatusUnprocessableEntity // a limit is a wrong value
			if strings.HasPrefix(bad, "cursor") {
				status = http.StatusBadRequest // a cursor cannot be read
			}
			out := e.must(status, "GET", "/api/v1/orders?"+bad, "operator", nil)
			if f := out["field"]; f != strings.SplitN(bad, "=", 2)[0] {
				t.Errorf("%s: field %v", bad, f)
			}
		}
		c := e.login("operator", password)
		page := c.get("/console/orders?view=queue&limit=2")
		if !strings.Contains(page, `rel="next"`) || strings.Contains(page, `rel="prev"`) {
			t.Errorf("first page of 2 should link to the next page only")
		}
	})
}

// The dispatch form's working days follow the complexity when left blank
// (simple: the same day, complex: 5) and take what the operator types.
func TestDispatchFormDefaultDays(t *testing.T) {
	e := newEnv(t)
	c := e.login("operator", password)
	for _, tc := range []struct {
		complexity, days string
		want             int
	}{
		{"simple", "", 0},
		{"complex", "", 5},
		{"complex", "8", 8},
		{"simple", "2", 2},
	} {
		n, _ := e.badReview(false)
		if !strings.Contains(c.get("/console/orders/"+n), `aria-describedby="a-days-hint"`) {
			t.Fatal("dispatch form without the working-days hint")
		}
		form := url.Values{"unit": {unitA}, "complexity": {tc.complexity}, "days": {tc.days}}
		if got := c.post("/console/orders/"+n+"/dispatch", form, true); got != http.StatusOK {
			t.Fatalf("%+v: dispatch = %d", tc, got)
		}
		if o := e.order(n); o.Days != tc.want || string(o.Complexity) != tc.complexity {
			t.Errorf("%+v: order has %s, %d days", tc, o.Complexity, o.Days)
		}
	}
}

// Bulk dispatch sends each order picked through the service: the new ones
// are dispatched, with their audit rows, one already with a unit is refused
// with its reason, and a handler may not bulk-dispatch at all.
func TestBulkDispatch(t *testing.T) {
	e := newEnv(t)
	a, _ := e.badReview(false)
	b, _ := e.badReview(true)
	taken, _ := e.badReview(false)
	e.must(200, "POST", "/api/v1/orders/"+taken+"/dispatch", "operator", map[string]any{"unit": unitB, "complexity": "simple", "days": 0})

	op := e.login("operator", password)
	page := op.get("/console/orders?view=queue")
	for _, n := range []string{a, b} {
		if !strings.Contains(page, `id="pick-`+n+`"`) || !strings.Contains(page, `<label for="pick-`+n+`"`) {
			t.Fatalf("queue has no labelled checkbox for new order %s", n)
		}
	}
	if strings.Contains(page, `id="pick-`+taken+`"`) {
		t.Errorf("order %s, already dispatched, can be picked", taken)
	}

	hd := e.login("handlerA", password)
	if got := hd.post("/console/orders/bulk-dispatch", url.Values{"order": {a}, "unit": {unitA}}, true); got != http.StatusForbidden {
		t.Errorf("handler bulk dispatch = %d, want 403", got)
	}
	if got := e.order(a).State; got != "new" {
		t.Fatalf("after the handler's try %s is %s", a, got)
	}

	form := url.Values{"order": {a, b, taken}, "unit": {unitA}, "complexity": {"complex"}, "note": {"批量"}}
	if got := op.post("/console/orders/bulk-dispatch", form, true); got != http.StatusOK {
		t.Fatalf("bulk dispatch = %d", got)
	}
	res := op.last
	if !strings.Contains(res, "已派发 2 件") || !strings.Contains(res, "未派发 1 件") || !strings.Contains(res, taken+"</a>: state:") {
		t.Errorf("result page does not report 2 done and %s refused with its reason:\n%s", taken, res)
	}
	for _, n := range []string{a, b} {
		o := e.order(n)
		if o.State != "dispatched" || o.Unit != unitA || o.Days != 5 {
			t.Errorf("%s: %s to %s in %d days", n, o.State, o.Unit, o.Days)
		}
		trail, err := e.st.AuditOf(context.Background(), o.ID)
		if err != nil || len(trail) == 0 || trail[len(trail)-1].Actor != "operator:operator" || trail[len(trail)-1].Action != "dispatch" {
			t.Errorf("%s: audit trail %v (%v) does not end with the operator's dispatch", n, trail, err)
		}
	}
	if o := e.order(taken); o.Unit != unitB {
		t.Errorf("refused order %s moved to %s", taken, o.Unit)
	}
	if got := op.post("/console/orders/bulk-dispatch", url.Values{"unit": {unitA}}, true); got != http.StatusUnprocessableEntity {
		t.Errorf("bulk dispatch of nothing = %d, want 422", got)
	}
}
