package workorder

import (
	"testing"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
)

var causes = []Cause{{Code: "careless", AtFault: true}, {Code: "unreasonable"}}

// unsatisfied is an order of unit 310101 whose citizen said "not satisfied".
func unsatisfied(t *testing.T) *Order {
	t.Helper()
	o := newOrder()
	now := at(t, "2026-09-30 10:00")
	for _, step := range []func() (Change, error){
		func() (Change, error) { return o.Dispatch(now, cal, Assignment{Unit: "310101", Complexity: Simple}) },
		func() (Change, error) { return o.Answer(now, reply) },
		func() (Change, error) { return o.FollowUp(now, false, "没有解决") },
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

func TestCauseContestedOnce(t *testing.T) {
	o := unsatisfied(t)
	now := at(t, "2026-10-08 10:00")
	if _, err := o.RecordCause(now, causes, "nonsense", ""); codeOf(err) != apperr.Invalid {
		t.Fatalf("unknown cause: %v, want invalid", err)
	}
	if _, err := o.RecordCause(now, causes, "careless", "答复敷衍"); err != nil {
		t.Fatal(err)
	}
	if o.NotAtFault() {
		t.Error("a careless answer clears the unit")
	}
	if _, err := o.RecordCause(now, causes, "unreasonable", ""); codeOf(err) != apperr.Conflict {
		t.Errorf("a second cause: %v, want conflict", err)
	}
	if _, err := o.ContestCause(now, ""); codeOf(err) != apperr.Invalid {
		t.Errorf("a contest without a reason: %v, want invalid", err)
	}
	if _, err := o.ContestCause(now, "已按政策答复"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.DecideCause(now, causes, false, "unreasonable", "诉求超出政策"); err != nil {
		t.Fatal(err)
	}
	if o.Cause != "unreasonable" || o.CauseContest != ContestChanged || !o.NotAtFault() {
		t.Errorf("after the decision: cause %q, contest %q, not at fault %v", o.Cause, o.CauseContest, o.NotAtFault())
	}
	if _, err := o.ContestCause(now, "再次申诉"); codeOf(err) != apperr.Conflict {
		t.Errorf("a second contest: %v, want conflict", err)
	}
}

func TestCauseNeedsAnUnsatisfiedAnswer(t *testing.T) {
	o := newOrder()
	if _, err := o.RecordCause(at(t, "2026-10-08 10:00"), causes, "careless", ""); codeOf(err) != apperr.Conflict {
		t.Errorf("a cause before any follow-up: %v, want conflict", err)
	}
	o = unsatisfied(t)
	if _, err := o.RecordCause(at(t, "2026-10-08 10:00"), causes, "unreasonable", ""); err != nil {
		t.Fatal(err)
	}
	if o.Possible(ActContestCause) {
		t.Error("a unit may contest a cause that clears it")
	}
}

func TestCauseAuthority(t *testing.T) {
	o := unsatisfied(t)
	operator := account.Actor{Role: account.Operator}
	own := account.Actor{Role: account.Handler, Unit: "310101"}
	other := account.Actor{Role: account.Handler, Unit: "310104"}
	supervisor := account.Actor{Role: account.Supervisor}
	tests := []struct {
		who  account.Actor
		act  Action
		code apperr.Code
	}{
		{operator, ActRecordCause, ""},
		{own, ActRecordCause, apperr.Forbidden},
		{supervisor, ActRecordCause, apperr.Forbidden},
		{own, ActContestCause, ""},
		{other, ActContestCause, apperr.NotFound},
		{operator, ActContestCause, apperr.Forbidden},
		{supervisor, ActDecideCause, ""},
		{operator, ActDecideCause, apperr.Forbidden},
		{own, ActDecideCause, apperr.Forbidden},
	}
	for _, tt := range tests {
		if got := codeOf(Authorize(tt.who, tt.act, o)); got != tt.code {
			t.Errorf("%s %s: %q, want %q", tt.who.Role, tt.act, got, tt.code)
		}
	}
}
