package console_test

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/notify"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/workorder"
)

// TestDeadlinesIntoAnUnloadedYear: a complex order dispatched in mid-
// December 2026 is due in 2027, whose official calendar is not loaded.
// Its due time is marked provisional, and the administrator is warned,
// until the year is imported.
func TestDeadlinesIntoAnUnloadedYear(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(at(t, "2026-12-15 10:00"))
	e.renewTokens() // the first ones expired in the summer
	number, _ := e.badReview(true)
	path := "/api/v1/orders/" + number
	got := e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "complex", "days": 15})
	if due, _ := got["due"].(string); !strings.HasPrefix(due, "2027-") {
		t.Fatalf("due %v: want a day in 2027", got["due"])
	}
	if got := e.must(200, "GET", path, "operator", nil); got["due_provisional"] != true {
		t.Errorf("order due in 2027: due_provisional %v, want true", got["due_provisional"])
	}
	list := e.must(200, "GET", "/api/v1/orders?view=open", "supervisor", nil)
	if o := list["orders"].([]any)[0].(map[string]any); o["due_provisional"] != true {
		t.Errorf("listed order: due_provisional %v, want true", o["due_provisional"])
	}
	if page := e.login("operator", password).get("/console/orders/" + number); !strings.Contains(page, "暂定") {
		t.Error("the order page does not mark the due time provisional")
	}
	admin := e.login("admin", password)
	for _, p := range []string{"/console/calendar", "/console/users"} {
		if page := admin.get(p); !strings.Contains(page, `id="warning"`) || !strings.Contains(page, "2027") {
			t.Errorf("%s does not warn that 2027 is not loaded", p)
		}
	}

	// Once 2027 is imported the mark and the warning are gone.
	if st := admin.post("/console/calendar", url.Values{"csv": {"date,kind,name\n2027-01-01,holiday,元旦\n"}}, true); st != 200 {
		t.Fatalf("calendar import = %d", st)
	}
	if strings.Contains(admin.get("/console/calendar"), `id="warning"`) {
		t.Error("the warning stays after 2027 was imported")
	}
	if got := e.must(200, "GET", path, "operator", nil); got["due_provisional"] == true {
		t.Error("the due time stays provisional after 2027 was imported")
	}
}

// TestSchedulerWarnsOfAnUnloadedYear: from 1 November the log says, once a
// day, that next year's calendar is missing.
func TestSchedulerWarnsOfAnUnloadedYear(t *testing.T) {
	e := newEnv(t)
	var logs strings.Builder
	s := scheduler.New(e.st, slog.New(slog.NewTextHandler(&logs, nil)), notify.Log{Log: discardLog()}, workorder.Rules{})
	tick := func() int {
		if _, err := s.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		return strings.Count(logs.String(), "holiday calendar is not loaded")
	}
	e.clock.Set(at(t, "2026-10-31 10:00"))
	if n := tick(); n != 0 {
		t.Errorf("warned in October: %d", n)
	}
	e.clock.Set(at(t, "2026-11-02 10:00"))
	tick()
	if n := tick(); n != 1 || !strings.Contains(logs.String(), "year=2027") {
		t.Errorf("November: %d warnings, want 1 naming 2027:\n%s", n, logs.String())
	}
	e.clock.Set(at(t, "2026-11-03 10:00"))
	if n := tick(); n != 2 {
		t.Errorf("next day: %d warnings in all, want 2", n)
	}
}
