package workorder

import (
	"github.com/haocha/haocha/internal/account"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/haocha/haocha/internal/audit"
)

// TestStepsFromAuditRebuildsTheSteps: the audit rows an order wrote before
// steps were kept give back the steps its changes would write now (reply
// text aside, which those rows never had), so the upgrade's history of an
// old order reads like a new one's.
func TestStepsFromAuditRebuildsTheSteps(t *testing.T) {
	o := newOrder()
	now := at(t, "2026-09-01 10:00")
	var trail []audit.Entry
	var want []Step
	var record func(account.Role, Change, error)
	do := func(actor account.Role) func(Change, error) {
		return func(c Change, err error) { record(actor, c, err) }
	}
	record = func(actor account.Role, c Change, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
		trail = append(trail, audit.Entry{At: c.Step.At, Actor: string(actor) + ":someone", Action: string(c.Action),
			From: string(c.From), To: string(c.To), Note: c.Note})
		s := *c.Step
		s.Actor, s.Reply, s.Due = actor, Reply{}, time.Time{}
		want = append(want, s)
	}
	do(account.Operator)(o.Dispatch(now, cal, Assignment{Unit: "310101", Complexity: Simple, Days: 1, Note: "请核实: 态度问题"}))
	do(account.Handler)(o.RecordContact(now, "已电话联系"))
	do(account.Handler)(o.Answer(now, reply))
	do(account.Citizen)(o.FollowUp(now, false, "没有解决"))
	do(account.Operator)(o.Redispatch(now, cal, Assignment{Unit: "310104", Complexity: Complex, Days: 5}))
	if _, err := o.AskReassign(now, "不归我们"); err != nil {
		t.Fatal(err)
	}
	do(account.Operator)(o.DecideReassign(now, cal, true, Assignment{Unit: "310105", Complexity: Simple, Days: 0, Note: "改派"}))
	do(account.Handler)(o.Answer(now, reply))
	do(account.Operator)(o.Escalate(now, "两轮不满意"))

	got := StepsFromAudit(trail)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("steps from the audit trail (-want +got):\n%s", diff)
	}
}
