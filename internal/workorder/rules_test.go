package workorder

import (
	"testing"
	"time"
)

func TestRulesEscalation(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	r := DefaultRules
	tests := []struct {
		name string
		o    Order
		want bool
	}{
		{"not satisfied twice", Order{State: NotSatisfied, NotSatisfied: 2}, true},
		{"not satisfied once", Order{State: NotSatisfied, NotSatisfied: 1}, false},
		{"overdue by 4 days", Order{State: Dispatched, Overdue: true, Due: now.Add(-4 * 24 * time.Hour)}, true},
		{"overdue by 2 days", Order{State: Dispatched, Overdue: true, Due: now.Add(-2 * 24 * time.Hour)}, false},
		{"past due but not yet flagged", Order{State: Dispatched, Due: now.Add(-4 * 24 * time.Hour)}, false},
		{"replied since", Order{State: Replied, Overdue: true, Due: now.Add(-4 * 24 * time.Hour)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			note, got := r.Escalation(&tt.o, now)
			if got != tt.want || got && note == "" {
				t.Errorf("escalate %v (%q), want %v", got, note, tt.want)
			}
		})
	}
	if _, got := (Rules{}).Escalation(&Order{State: NotSatisfied, NotSatisfied: 9}, now); got {
		t.Error("rules without limits escalated")
	}
	if w := (Rules{}).Watch(now); !w.DueSoonBefore.IsZero() || !w.OverdueBefore.IsZero() || w.NotSatisfiedTimes != 0 {
		t.Errorf("rules without limits select %+v", w)
	}
}
