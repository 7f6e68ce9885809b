package workorder

import (
	"context"
	"fmt"
	"github.com/haocha/haocha/internal/account"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// Rules are the escalation rules the scheduler applies.
type Rules struct {
	DueSoon            time.Duration // notify when an order is due within this
	NotSatisfiedTimes  int           // escalate after the citizen said "not satisfied" this often (0: never)
	EscalateOverdueFor time.Duration // escalate an order overdue by more than this (0: never)
}

// DefaultRules escalate an order the citizen was not satisfied with twice,
// or one overdue by more than 3 days, and warn 4 hours before a due time.
var DefaultRules = Rules{DueSoon: 4 * time.Hour, NotSatisfiedTimes: 2, EscalateOverdueFor: 3 * 24 * time.Hour}

// Watch is what storage selects for the rules at Now: dispatched orders
// due before Now (to flag overdue) or before DueSoonBefore (to warn), and
// candidates for escalation: not satisfied NotSatisfiedTimes times or more,
// or flagged overdue and due before OverdueBefore. Zero fields select none.
type Watch struct {
	Now               time.Time
	DueSoonBefore     time.Time
	NotSatisfiedTimes int
	OverdueBefore     time.Time
}

// Watch is the selection for r at now.
func (r Rules) Watch(now time.Time) Watch {
	w := Watch{Now: now, NotSatisfiedTimes: r.NotSatisfiedTimes}
	if r.DueSoon > 0 {
		w.DueSoonBefore = now.Add(r.DueSoon)
	}
	if r.EscalateOverdueFor > 0 {
		w.OverdueBefore = now.Add(-r.EscalateOverdueFor)
	}
	return w
}

// The notes of an escalation by rule, in the audit trail's fixed form
// (pages say them in their own language from these forms).
const (
	RuleNotSatisfiedNote = "by rule: the citizen was not satisfied %d times"
	RuleOverdueNote      = "by rule: overdue by more than %s"
)

// Escalation reports whether r escalate o at now, and the note that says
// why. It is checked on the order as loaded, so a selection that went stale
// escalates nothing.
func (r Rules) Escalation(o *Order, now time.Time) (string, bool) {
	switch {
	case r.NotSatisfiedTimes > 0 && o.State == NotSatisfied && o.NotSatisfied >= r.NotSatisfiedTimes:
		return fmt.Sprintf(RuleNotSatisfiedNote, o.NotSatisfied), true
	case r.EscalateOverdueFor > 0 && o.State == Dispatched && o.Overdue && o.Due.Before(now.Add(-r.EscalateOverdueFor)):
		return fmt.Sprintf(RuleOverdueNote, r.EscalateOverdueFor), true
	}
	return "", false
}

// Swept counts what one sweep changed.
type Swept struct {
	Overdue, DueSoon, Escalated int
}

var scheduler = account.Actor{Role: account.Scheduler}

// Sweep flags overdue orders, marks those due soon (queueing the notices)
// and escalates by r, as the scheduler. Each step is idempotent: an order
// someone else changed first is left alone.
func (s *Service) Sweep(ctx context.Context, r Rules) (Swept, error) {
	var n Swept
	now := s.Now()
	overdue, dueSoon, escalate, err := s.Store.Watch(ctx, r.Watch(now))
	if err != nil {
		return n, err
	}
	apply := func(ids []int64, count *int, fn ChangeFunc) error {
		for _, id := range ids {
			_, _, err := s.Store.ChangeOrder(ctx, id, scheduler, fn)
			switch {
			case err == nil:
				*count++
			case apperr.Is(err, apperr.Conflict):
				// Someone else got there first, or the rule no longer holds.
			default:
				return err
			}
		}
		return nil
	}
	if err := apply(overdue, &n.Overdue, func(o *Order) (Change, error) {
		if err := Authorize(scheduler, ActOverdue, o); err != nil {
			return Change{}, err
		}
		return o.MarkOverdue(now)
	}); err != nil {
		return n, err
	}
	if err := apply(dueSoon, &n.DueSoon, func(o *Order) (Change, error) {
		return o.MarkDueSoon(now)
	}); err != nil {
		return n, err
	}
	err = apply(escalate, &n.Escalated, func(o *Order) (Change, error) {
		note, ok := r.Escalation(o, now)
		if !ok {
			return Change{}, apperr.New(apperr.Conflict, "work_order", "order %s is no longer due for escalation", o.Number)
		}
		return o.Escalate(now, note)
	})
	return n, err
}
