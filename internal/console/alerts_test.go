package console_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/haocha/haocha/internal/notify"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/workorder"
)

func TestAlertRulesAPI(t *testing.T) {
	e := newEnv(t)
	out := e.must(200, "GET", "/api/v1/alert-rules", "admin", nil)
	if rules, _ := out["rules"].([]any); len(rules) != 5 {
		t.Fatalf("seeded rules %v, want the 5 defaults", out)
	}
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"window_days": 7, "threshold": 3}, "kind"},
		{map[string]any{"kind": "district", "window_days": 7, "threshold": 3}, "kind"},
		{map[string]any{"kind": "staff", "threshold": 3}, "window_days"},
		{map[string]any{"kind": "staff", "window_days": 0, "threshold": 3}, "window_days"},
		{map[string]any{"kind": "staff", "window_days": 7, "threshold": -1}, "threshold"},
		{map[string]any{"kind": "unit_bad_rate", "window_days": 7, "threshold": 2, "min_n": -5}, "min_n"},
	} {
		code, body := e.call("POST", "/api/v1/alert-rules", "admin", tc.body)
		if code != 422 || body["field"] != tc.field {
			t.Errorf("POST %v = %d %v, want 422 naming %s", tc.body, code, body, tc.field)
		}
	}
	if code, _ := e.call("POST", "/api/v1/alert-rules", "admin", map[string]any{"kind": "staff", "window_days": 7, "threshold": 3, "colour": 1}); code != 400 {
		t.Errorf("unknown field = %d, want 400", code)
	}
	added := e.must(201, "POST", "/api/v1/alert-rules", "admin", map[string]any{"kind": "unit_item", "window_days": 30, "threshold": 6})
	id := fmt.Sprint(added["id"])
	if added["enabled"] != true || id != "6" {
		t.Errorf("added %v, want rule 6, enabled", added)
	}
	changed := e.must(200, "PUT", "/api/v1/alert-rules/"+id, "admin", map[string]any{"threshold": 8, "enabled": false})
	if changed["threshold"] != 8.0 || changed["enabled"] != false || changed["window_days"] != 30.0 {
		t.Errorf("changed %v, want threshold 8, disabled, window kept", changed)
	}
	if code, body := e.call("PUT", "/api/v1/alert-rules/"+id, "admin", map[string]any{"kind": "staff"}); code != 422 || body["field"] != "kind" {
		t.Errorf("changing the kind = %d %v, want 422 kind", code, body)
	}
	e.must(404, "PUT", "/api/v1/alert-rules/999", "admin", map[string]any{"threshold": 3})
	// Only administrators edit; supervisors and operators read.
	e.must(403, "POST", "/api/v1/alert-rules", "supervisor", map[string]any{"kind": "staff", "window_days": 7, "threshold": 3})
	e.must(403, "PUT", "/api/v1/alert-rules/1", "operator", map[string]any{"threshold": 3})
	e.must(200, "GET", "/api/v1/alert-rules", "supervisor", nil)
	e.must(403, "GET", "/api/v1/alert-rules", "handlerA", nil)
	e.must(401, "GET", "/api/v1/alert-rules", "", nil)
	// Every change is in the audit trail.
	var n int
	if err := e.st.DB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action IN ('alert_rule_added', 'alert_rule_changed') AND actor = 'admin:admin'").Scan(&n); err != nil || n != 2 {
		t.Errorf("%d audit rows of rule changes (%v), want 2", n, err)
	}
}

// bodies is a webhook receiver that keeps what it is sent.
type bodies struct {
	mu  sync.Mutex
	got []string
}

func (b *bodies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.got = append(b.got, string(raw))
	b.mu.Unlock()
}

func TestAlertLifecycleAndAuthority(t *testing.T) {
	eachBackend(t, testAlertLifecycleAndAuthority)
}

func testAlertLifecycleAndAuthority(t *testing.T, e *env) {
	// Three real-name bad reviews at one workstation within a day.
	for range 3 {
		e.badReview(false)
		e.clock.Add(2 * 60 * 60 * 1e9)
	}
	hook := &bodies{}
	receiver := httptest.NewServer(hook)
	defer receiver.Close()
	s := scheduler.New(e.st, discardLog(), notify.Webhook{URL: receiver.URL}, workorder.DefaultRules)
	rep, err := s.Tick(context.Background())
	if err != nil || rep.Alerts != 3 {
		t.Fatalf("tick %+v %v, want 3 alerts (unit and item, workstation, staff)", rep, err)
	}
	if rep, _ := s.Tick(context.Background()); rep.Alerts != 0 {
		t.Errorf("a second tick raised %d alerts, want none", rep.Alerts)
	}
	hook.mu.Lock()
	opened := 0
	for _, b := range hook.got {
		if strings.Contains(b, `"event":"alert_opened"`) {
			opened++
			if strings.Contains(b, "李四") || strings.Contains(b, "13912345678") || !strings.Contains(b, `"unit":"310101"`) {
				t.Errorf("alert notice %s: want the unit, never the reviewer", b)
			}
		}
	}
	hook.mu.Unlock()
	if opened != 3 {
		t.Errorf("%d alert_opened notices delivered, want 3", opened)
	}

	list := func(who, query string) []any {
		t.Helper()
		out := e.must(200, "GET", "/api/v1/alerts"+query, who, nil)
		l, _ := out["alerts"].([]any)
		return l
	}
	all := list("supervisor", "")
	if len(all) != 3 || len(list("operator", "")) != 3 || len(list("handlerA", "")) != 3 || len(list("handlerB", "")) != 0 {
		t.Fatalf("supervisor sees %d, operator, handler of the unit and another unit's handler differ: want 3, 3, 3, 0", len(all))
	}
	e.must(403, "GET", "/api/v1/alerts", "staff", nil)
	e.must(403, "GET", "/api/v1/alerts", "admin", nil)
	e.must(401, "GET", "/api/v1/alerts", "", nil)
	if code, body := e.call("GET", "/api/v1/alerts?state=closed", "supervisor", nil); code != 422 || body["field"] != "state" {
		t.Errorf("state=closed = %d %v, want 422 state", code, body)
	}
	var id string
	for _, a := range all {
		if m := a.(map[string]any); m["kind"] == "unit_item" {
			id = fmt.Sprint(m["id"])
			if m["subject"] != "黄浦区 · 居民身份证换领" {
				t.Errorf("subject %q, want the unit's and the item's names", m["subject"])
			}
		}
	}
	path := "/api/v1/alerts/" + id
	one := e.must(200, "GET", path, "supervisor", nil)
	rs, _ := one["reviews"].([]any)
	if len(rs) != 3 || rs[0].(map[string]any)["item_name"] != "居民身份证换领" || rs[0].(map[string]any)["stage_name"] != "受理" {
		t.Errorf("alert reviews %v, want 3 with item and stage names", rs)
	}
	raw := fmt.Sprint(one)
	if strings.Contains(raw, "李四") || strings.Contains(raw, "13912") {
		t.Errorf("an alert shows the reviewer: %s", raw)
	}
	e.must(200, "GET", path, "handlerA", nil)
	e.must(404, "GET", path, "handlerB", nil)

	// Only the General Office acts; each action once, in order.
	e.must(403, "POST", path+"/acknowledge", "operator", nil)
	e.must(403, "POST", path+"/acknowledge", "handlerA", nil)
	e.must(404, "POST", path+"/acknowledge", "handlerB", nil)
	if out := e.must(200, "POST", path+"/acknowledge", "supervisor", nil); out["state"] != "acknowledged" {
		t.Errorf("acknowledged: %v", out)
	}
	e.must(409, "POST", path+"/acknowledge", "supervisor", nil)
	if code, body := e.call("POST", path+"/resolve", "supervisor", map[string]any{}); code != 422 || body["field"] != "note" {
		t.Errorf("resolve without a note = %d %v, want 422 note", code, body)
	}
	out := e.must(200, "POST", path+"/supervise", "supervisor", map[string]any{"note": "约谈区政务服务办"})
	if out["supervised"] != true || out["assessment"] != true {
		t.Errorf("supervised: %v", out)
	}
	e.must(409, "POST", path+"/supervise", "supervisor", nil)
	if l := list("supervisor", "?supervised=1"); len(l) != 1 {
		t.Errorf("%d supervised alerts listed for the assessment, want 1", len(l))
	}
	if out := e.must(200, "POST", path+"/resolve", "supervisor", map[string]any{"note": "已整改"}); out["state"] != "resolved" || out["note"] != "已整改" {
		t.Errorf("resolved: %v", out)
	}
	e.must(409, "POST", path+"/resolve", "supervisor", map[string]any{"note": "again"})
	e.must(404, "POST", path+"/close", "supervisor", nil)
	// The queue puts the open alerts before the resolved one.
	if first := list("supervisor", "")[0].(map[string]any); first["state"] != "open" {
		t.Errorf("queue starts with %v, want an open alert", first)
	}
	var n int
	if err := e.st.DB().QueryRow(e.st.Rebind("SELECT COUNT(*) FROM audit_log WHERE action LIKE ?"), "alert_%").Scan(&n); err != nil || n != 6 {
		t.Errorf("%d alert audit rows (%v), want 6: 3 opened, acknowledged, supervised, resolved", n, err)
	}
}
