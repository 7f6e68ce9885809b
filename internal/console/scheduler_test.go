package console_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/notify"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/workorder"
)

// hook is a webhook receiver that fails its first n deliveries.
type hook struct {
	mu       sync.Mutex
	failures int
	events   []string
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failures > 0 {
		h.failures--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	var n workorder.Notice
	b, _ := io.ReadAll(r.Body)
	json.Unmarshal(b, &n)
	h.events = append(h.events, string(n.Event)+":"+n.Number)
}

func (h *hook) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.events...)
}

// TestSchedulerOverdueAndEscalation drives the clock past a due time and
// lets two schedulers sharing the database flag and escalate by rule.
func TestSchedulerOverdueAndEscalation(t *testing.T) {
	eachBackend(t, testSchedulerOverdueAndEscalation)
}

func testSchedulerOverdueAndEscalation(t *testing.T, e *env) {
	ctx := context.Background()
	h := &hook{failures: 1}
	receiver := httptest.NewServer(h)
	defer receiver.Close()
	sink := notify.Webhook{URL: receiver.URL, Secret: []byte("s")}
	rules := workorder.Rules{DueSoon: 4 * time.Hour, NotSatisfiedTimes: 2, EscalateOverdueFor: 3 * 24 * time.Hour}
	one := scheduler.New(e.st, discardLog(), sink, rules)
	two := scheduler.New(e.st, discardLog(), sink, rules)

	late, _ := e.badReview(true)
	e.must(200, "POST", "/api/v1/orders/"+late+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 0})

	tick := func(s *scheduler.Scheduler) scheduler.Report {
		t.Helper()
		rep, err := s.Tick(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}

	// 14:00, due at 17:30: a due-soon notice; the webhook fails once.
	e.clock.Set(at(t, "2026-03-02 14:00"))
	if rep := tick(one); !rep.Leader || rep.DueSoon != 1 || rep.Overdue != 0 || rep.Failed != 1 || rep.Sent != 1 {
		t.Fatalf("14:00 tick: %+v, want leader, 1 due soon, 1 failed and 1 sent (dispatched, due soon)", rep)
	}
	if rep := tick(two); rep.Leader {
		t.Fatal("a second process took the lease while the first holds it")
	}

	// 18:00: overdue. The failed notices are retried after their backoff.
	e.clock.Set(at(t, "2026-03-02 18:00"))
	rep := tick(one)
	if rep.Overdue != 1 || rep.Sent != 2 {
		t.Fatalf("18:00 tick: %+v, want 1 overdue and 2 sent (1 retried)", rep)
	}
	if rep := tick(one); rep.Overdue != 0 || rep.Sent != 0 {
		t.Fatalf("a second tick did more work: %+v", rep)
	}
	got := e.must(200, "GET", "/api/v1/orders/"+late, "supervisor", nil)
	if got["overdue"] != true || got["state"] != "dispatched" {
		t.Fatalf("after the due time: %v %v", got["state"], got["overdue"])
	}
	over := e.must(200, "GET", "/api/v1/orders?overdue=1", "supervisor", nil)
	if !listHas(over, late) {
		t.Error("the supervisor's overdue list lacks the order")
	}

	// The first process dies; after its lease expires the second takes over.
	// Friday 06:00: overdue by more than 3 days (due Monday 17:30): escalated.
	e.clock.Set(at(t, "2026-03-06 06:00"))
	rep = tick(two)
	if !rep.Leader || rep.Escalated != 1 {
		t.Fatalf("Friday tick by the second process: %+v, want it leader and 1 escalated", rep)
	}
	o := e.order(late)
	if o.State != workorder.Supervised || !o.Assessment || !o.Overdue {
		t.Errorf("escalated order: state %s assessment %v overdue %v", o.State, o.Assessment, o.Overdue)
	}
	if rep := tick(two); rep.Escalated != 0 {
		t.Errorf("escalated twice: %+v", rep)
	}
	// The reply comes late: the flag stays frozen on the order.
	e.must(409, "POST", "/api/v1/orders/"+late+"/reply", "handlerA", map[string]any{"findings": "x", "rectification": "x", "answer": "x"})
	e.must(200, "POST", "/api/v1/orders/"+late+"/redispatch", "supervisor", map[string]any{"unit": unitA, "complexity": "simple", "days": 1})
	e.must(200, "POST", "/api/v1/orders/"+late+"/reply", "handlerA", map[string]any{"findings": "x", "rectification": "y", "answer": "z"})
	if o := e.order(late); !o.Overdue || o.Round != 2 {
		t.Errorf("after a supervised round: overdue %v round %d, want the frozen flag and round 2", o.Overdue, o.Round)
	}

	// Not satisfied twice: escalated by the other rule.
	twice, tok := e.badReview(false)
	path := "/api/v1/orders/" + twice
	e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitB, "complexity": "simple", "days": 2})
	for round := 1; round <= 2; round++ {
		e.must(200, "POST", path+"/reply", "handlerB", map[string]any{"findings": "f", "rectification": "r", "answer": "a"})
		e.must(200, "POST", "/api/v1/follow/"+tok, "", map[string]any{"satisfied": false, "reason": "没解决"})
		if round == 1 {
			if rep := tick(two); rep.Escalated != 0 {
				t.Fatalf("escalated after one 'not satisfied': %+v", rep)
			}
			e.must(200, "POST", path+"/redispatch", "operator", map[string]any{"unit": unitB, "complexity": "complex", "days": 5})
		}
	}
	if rep := tick(two); rep.Escalated != 1 {
		t.Fatalf("not satisfied twice: %+v, want 1 escalated", rep)
	}
	if o := e.order(twice); o.State != workorder.Supervised {
		t.Errorf("not satisfied twice: state %s, want supervised", o.State)
	}
	esc := e.must(200, "GET", "/api/v1/orders?escalated=1", "supervisor", nil)
	if !listHas(esc, late) || !listHas(esc, twice) {
		t.Error("the supervisor's escalated list lacks an order")
	}
	// Webhook deliveries: every event once, in order, despite the failure.
	want := map[string]bool{"dispatched:" + late: true, "due_soon:" + late: true, "overdue:" + late: true}
	for _, ev := range h.got() {
		delete(want, ev)
	}
	if len(want) > 0 {
		t.Errorf("webhook never got %v; got %v", want, h.got())
	}
	if _, err := e.st.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
}
