package alert

import (
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
)

func TestApply(t *testing.T) {
	now := time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)
	supervised := Alert{State: Acknowledged, SupervisedAt: now}
	tests := []struct {
		name  string
		from  Alert
		act   Action
		note  string
		want  State
		super bool
		code  apperr.Code
	}{
		{"acknowledge an open alert", Alert{State: Open}, Acknowledge, "", Acknowledged, false, ""},
		{"acknowledge twice", Alert{State: Acknowledged}, Acknowledge, "", "", false, apperr.Conflict},
		{"resolve an open alert with a note", Alert{State: Open}, Resolve, "已整改", Resolved, false, ""},
		{"resolve without a note", Alert{State: Acknowledged}, Resolve, "  ", "", false, apperr.Invalid},
		{"resolve a resolved alert", Alert{State: Resolved}, Resolve, "x", "", false, apperr.Conflict},
		{"supervision acknowledges an open alert", Alert{State: Open}, Supervise, "", Acknowledged, true, ""},
		{"supervise twice", supervised, Supervise, "", "", true, apperr.Conflict},
		{"resolve a supervised alert", supervised, Resolve, "约谈后整改", Resolved, true, ""},
		{"supervise a resolved alert", Alert{State: Resolved}, Supervise, "", "", false, apperr.Conflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.from
			err := a.Apply(tc.act, "supervisor:s", tc.note, now)
			if tc.code != "" {
				if apperr.CodeOf(err) != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil || a.State != tc.want || a.Supervised() != tc.super {
				t.Fatalf("got state %s supervised %v (%v), want %s %v", a.State, a.Supervised(), err, tc.want, tc.super)
			}
		})
	}
}

func TestAuthority(t *testing.T) {
	own, other := "310101", "310104"
	tests := []struct {
		role       account.Role
		read, act  apperr.Code
		readOther  apperr.Code
		editRules  bool
		readsRules bool
	}{
		{account.Supervisor, "", "", "", false, true},
		{account.Operator, "", apperr.Forbidden, "", false, true},
		{account.Handler, "", apperr.Forbidden, apperr.NotFound, false, false},
		{account.Admin, apperr.Forbidden, apperr.Forbidden, apperr.Forbidden, true, true},
		{account.Staff, apperr.Forbidden, apperr.Forbidden, apperr.Forbidden, false, false},
		{"", apperr.Unauthorized, apperr.Unauthorized, apperr.Unauthorized, false, false},
	}
	for _, tc := range tests {
		a := account.Actor{Role: tc.role, Unit: own}
		if got := codeOf(CanRead(a, &own)); got != tc.read {
			t.Errorf("%s reads its unit's alert: %q, want %q", tc.role, got, tc.read)
		}
		if got := codeOf(CanRead(a, &other)); got != tc.readOther {
			t.Errorf("%s reads another unit's alert: %q, want %q", tc.role, got, tc.readOther)
		}
		if got := codeOf(CanAct(a)); got != tc.act {
			t.Errorf("%s acts: %q, want %q", tc.role, got, tc.act)
		}
		if got := CanEditRules(a) == nil; got != tc.editRules {
			t.Errorf("%s edits rules: %v", tc.role, got)
		}
		if got := CanReadRules(a) == nil; got != tc.readsRules {
			t.Errorf("%s reads rules: %v", tc.role, got)
		}
	}
}

// codeOf is the error's code, "" for none.
func codeOf(err error) apperr.Code {
	if err == nil {
		return ""
	}
	return apperr.CodeOf(err)
}
