package workorder

import (
	"github.com/haocha/haocha/internal/account"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
)

var cal = calendar.New(calendar.Shipped())

func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Zone)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func newOrder() *Order { return &Order{ID: 1, Number: "GD1", State: New, Round: 1} }

var reply = Reply{Findings: "窗口人员态度生硬", Rectification: "已批评教育", Answer: "已整改，感谢监督"}

func TestAssignmentCheck(t *testing.T) {
	tests := []struct {
		a    Assignment
		code apperr.Code
	}{
		{Assignment{Unit: "310101", Complexity: Simple, Days: 0}, ""},
		{Assignment{Unit: "310101", Complexity: Simple, Days: 5}, ""},
		{Assignment{Unit: "310101", Complexity: Simple, Days: 6}, apperr.Invalid},
		{Assignment{Unit: "310101", Complexity: Simple, Days: -1}, apperr.Invalid},
		{Assignment{Unit: "310101", Complexity: Complex, Days: 5}, ""},
		{Assignment{Unit: "310101", Complexity: Complex, Days: 15}, ""},
		{Assignment{Unit: "310101", Complexity: Complex, Days: 16}, apperr.Invalid},
		{Assignment{Unit: "310101", Complexity: Complex, Days: 4}, apperr.Invalid},
		{Assignment{Unit: "310101", Complexity: "hard", Days: 5}, apperr.Invalid},
		{Assignment{Unit: "", Complexity: Simple, Days: 0}, apperr.Invalid},
	}
	for _, tt := range tests {
		err := tt.a.Check()
		if got := codeOf(err); got != tt.code {
			t.Errorf("Check(%+v) = %v, want code %q", tt.a, err, tt.code)
		}
	}
}

func codeOf(err error) apperr.Code {
	if err == nil {
		return ""
	}
	return apperr.CodeOf(err)
}

func TestWholeLoop(t *testing.T) {
	o := newOrder()
	now := at(t, "2026-09-30 10:00")
	c, err := o.Dispatch(now, cal, Assignment{Unit: "310101", Complexity: Simple, Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c.From != New || c.To != Dispatched || c.Notify != EventDispatched {
		t.Errorf("dispatch change = %+v", c)
	}
	if want := at(t, "2026-10-08 17:30"); !o.Due.Equal(want) || !o.ContactDue.Equal(want) {
		t.Errorf("due %s, contact due %s, want both %s (after National Day)", o.Due, o.ContactDue, want)
	}
	if _, err := o.RecordContact(now.Add(time.Hour), "called"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Answer(now.Add(2*time.Hour), reply); err != nil {
		t.Fatal(err)
	}
	if _, err := o.FollowUp(now.Add(3*time.Hour), false, ""); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("not satisfied without a reason: %v, want invalid", err)
	}
	if _, err := o.FollowUp(now.Add(3*time.Hour), false, "还是没解决"); err != nil || o.State != NotSatisfied {
		t.Fatalf("not satisfied: %v, state %s", err, o.State)
	}
	later := at(t, "2026-10-09 09:00")
	if _, err := o.Redispatch(later, cal, Assignment{Unit: "310104", Complexity: Complex, Days: 5}); err != nil {
		t.Fatal(err)
	}
	if o.Round != 2 || o.Unit != "310104" || o.Reply != (Reply{}) {
		t.Errorf("after re-dispatch: round %d unit %s reply %+v", o.Round, o.Unit, o.Reply)
	}
	// 9 Oct Fri; 10 Oct Sat make-up day counts; 12-15 Oct.
	if want := at(t, "2026-10-15 17:30"); !o.Due.Equal(want) {
		t.Errorf("round 2 due %s, want %s", o.Due, want)
	}
	if _, err := o.Answer(later, reply); err != nil {
		t.Fatal(err)
	}
	if _, err := o.FollowUp(later, true, ""); err != nil || o.State != Closed {
		t.Fatalf("satisfied: %v, state %s", err, o.State)
	}
	if o.Overdue {
		t.Error("an order answered in time is flagged overdue")
	}
}

func TestIllegalTransitions(t *testing.T) {
	now := at(t, "2026-03-02 10:00")
	a := Assignment{Unit: "310101", Complexity: Simple, Days: 0}
	in := func(s State) *Order {
		o := newOrder()
		o.State, o.Unit, o.Due = s, "310101", now.Add(time.Hour)
		return o
	}
	tests := []struct {
		name string
		from State
		do   func(o *Order) (Change, error)
	}{
		{"dispatch twice", Dispatched, func(o *Order) (Change, error) { return o.Dispatch(now, cal, a) }},
		{"re-dispatch a new order", New, func(o *Order) (Change, error) { return o.Redispatch(now, cal, a) }},
		{"re-dispatch while the unit works", Dispatched, func(o *Order) (Change, error) { return o.Redispatch(now, cal, a) }},
		{"reply before dispatch", New, func(o *Order) (Change, error) { return o.Answer(now, reply) }},
		{"reply twice", Replied, func(o *Order) (Change, error) { return o.Answer(now, reply) }},
		{"reply to a closed order", Closed, func(o *Order) (Change, error) { return o.Answer(now, reply) }},
		{"follow up before the reply", Dispatched, func(o *Order) (Change, error) { return o.FollowUp(now, true, "") }},
		{"follow up a closed order", Closed, func(o *Order) (Change, error) { return o.FollowUp(now, true, "") }},
		{"escalate a new order", New, func(o *Order) (Change, error) { return o.Escalate(now, "x") }},
		{"escalate twice", Supervised, func(o *Order) (Change, error) { return o.Escalate(now, "x") }},
		{"escalate a closed order", Closed, func(o *Order) (Change, error) { return o.Escalate(now, "x") }},
		{"ask reassignment after the reply", Replied, func(o *Order) (Change, error) { return o.AskReassign(now, "x") }},
		{"decide reassignment nobody asked for", Dispatched, func(o *Order) (Change, error) { return o.DecideReassign(now, cal, true, a) }},
		{"appeal a new order", New, func(o *Order) (Change, error) { return o.FileAppeal(now, GroundMalicious, "x") }},
		{"decide an appeal nobody filed", Replied, func(o *Order) (Change, error) { return o.DecideAppeal(now, true, "x") }},
		{"overdue before the due time", Dispatched, func(o *Order) (Change, error) { return o.MarkOverdue(now) }},
		{"overdue after the reply", Replied, func(o *Order) (Change, error) { return o.MarkOverdue(now.Add(48 * time.Hour)) }},
		{"contact a replied order", Replied, func(o *Order) (Change, error) { return o.RecordContact(now, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := in(tt.from)
			before := *o
			_, err := tt.do(o)
			if apperr.CodeOf(err) != apperr.Conflict {
				t.Fatalf("err = %v, want a conflict", err)
			}
			if *o != before {
				t.Errorf("a refused action changed the order:\n got %+v\nwant %+v", *o, before)
			}
		})
	}
}

func TestOverdueFrozen(t *testing.T) {
	o := newOrder()
	now := at(t, "2026-03-02 10:00")
	o.Dispatch(now, cal, Assignment{Unit: "310101", Complexity: Simple, Days: 0})
	late := at(t, "2026-03-03 09:00")
	if !o.PastDue(late) {
		t.Fatal("not past due the next morning")
	}
	c, err := o.Answer(late, reply)
	if err != nil || !o.Overdue {
		t.Fatalf("late reply: %v, overdue %v", err, o.Overdue)
	}
	if c.Note == "" {
		t.Error("a late reply says nothing in its note")
	}
	o.FollowUp(late, false, "不满意")
	o.Redispatch(late, cal, Assignment{Unit: "310101", Complexity: Simple, Days: 3})
	if !o.Overdue {
		t.Error("the overdue flag of round 1 was cleared by re-dispatch")
	}
}

func TestContactLate(t *testing.T) {
	o := newOrder()
	now := at(t, "2026-03-06 10:00") // a Friday: contact due Monday 17:30
	o.Dispatch(now, cal, Assignment{Unit: "310101", Complexity: Complex, Days: 10})
	if o.ContactLate(at(t, "2026-03-09 17:00")) {
		t.Error("late before the first-contact deadline")
	}
	if !o.ContactLate(at(t, "2026-03-09 18:00")) {
		t.Error("not late after the deadline without contact")
	}
	o.RecordContact(at(t, "2026-03-10 09:00"), "")
	if !o.ContactLate(at(t, "2026-03-10 10:00")) {
		t.Error("a late contact is not marked late")
	}
}

func TestScheduledMarks(t *testing.T) {
	o := newOrder()
	now := at(t, "2026-03-02 10:00")
	o.Dispatch(now, cal, Assignment{Unit: "310101", Complexity: Simple, Days: 0})
	if _, err := o.MarkDueSoon(now); err != nil || !o.DueSoonSent {
		t.Fatalf("due soon: %v", err)
	}
	if _, err := o.MarkDueSoon(now); err == nil {
		t.Error("due soon sent twice")
	}
	c, err := o.MarkOverdue(now.Add(24 * time.Hour))
	if err != nil || c.Notify != EventOverdue || c.From != Dispatched || c.To != Dispatched {
		t.Fatalf("overdue: %+v %v", c, err)
	}
	if _, err := o.MarkOverdue(now.Add(48 * time.Hour)); err == nil {
		t.Error("marked overdue twice")
	}
	if _, err := o.Escalate(now.Add(48*time.Hour), "overdue by 1 day"); err != nil || o.State != Supervised || !o.Assessment {
		t.Fatalf("escalate: %v state %s assessment %v", err, o.State, o.Assessment)
	}
}

func TestReassignAndAppeal(t *testing.T) {
	now := at(t, "2026-03-02 10:00")
	o := newOrder()
	o.Dispatch(now, cal, Assignment{Unit: "310101", Complexity: Simple, Days: 2})
	if _, err := o.AskReassign(now, ""); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("reassignment without reason: %v", err)
	}
	o.AskReassign(now, "不属于本单位职责")
	if _, err := o.DecideReassign(now, cal, false, Assignment{}); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("refusal without a note: %v", err)
	}
	if _, err := o.DecideReassign(now, cal, true, Assignment{Unit: "310104", Complexity: Simple, Days: 2}); err != nil {
		t.Fatal(err)
	}
	if o.Unit != "310104" || o.Round != 1 || o.ReassignReason != "" || o.State != Dispatched {
		t.Errorf("after reassignment: %+v", o)
	}
	if _, err := o.FileAppeal(now, "bored", "x"); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("appeal on unknown ground: %v", err)
	}
	if _, err := o.FileAppeal(now, GroundMalicious, "同一设备连续差评"); err != nil {
		t.Fatal(err)
	}
	c, err := o.DecideAppeal(now, true, "核实为恶意差评")
	if err != nil || o.State != Closed || c.Exclude == "" || o.Appeal != AppealUpheld {
		t.Fatalf("upheld appeal: %v, %+v, state %s", err, c, o.State)
	}
	if _, err := o.FileAppeal(now, GroundMistaken, "again"); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("second appeal: %v", err)
	}
}

func TestAuthorize(t *testing.T) {
	o := &Order{State: Dispatched, Unit: "310101"}
	tests := []struct {
		a    account.Actor
		act  Action
		code apperr.Code
	}{
		{account.Actor{Role: account.Operator}, ActDispatch, ""},
		{account.Actor{Role: account.Operator}, ActReply, apperr.Forbidden},
		{account.Actor{Role: account.Handler, Unit: "310101"}, ActReply, ""},
		{account.Actor{Role: account.Handler, Unit: "310101"}, ActDispatch, apperr.Forbidden},
		{account.Actor{Role: account.Handler, Unit: "310104"}, ActView, apperr.NotFound},
		{account.Actor{Role: account.Handler, Unit: "310104"}, ActReply, apperr.NotFound},
		{account.Actor{Role: account.Supervisor}, ActDecideAppeal, ""},
		{account.Actor{Role: account.Supervisor}, ActReply, apperr.Forbidden},
		{account.Actor{Role: account.Staff}, ActView, apperr.Forbidden},
		{account.Actor{Role: account.Admin}, ActView, apperr.Forbidden},
		{account.Actor{}, ActView, apperr.Unauthorized},
	}
	for _, tt := range tests {
		if got := codeOf(Authorize(tt.a, tt.act, o)); got != tt.code {
			t.Errorf("Authorize(%s, %s) = %q, want %q", tt.a.Role, tt.act, got, tt.code)
		}
	}
	if IdentityFor(account.Actor{Role: account.Handler}) != IdentityMasked || IdentityFor(account.Actor{Role: account.Operator}) != IdentityFull ||
		IdentityFor(account.Actor{Role: account.Staff}) != IdentityNone {
		t.Error("identity levels wrong")
	}
}
