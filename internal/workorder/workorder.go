// Package workorder is the closed loop of a bad review: the 12345 work
// order, its states and deadlines, follow-up, supervision and appeals, and
// who may do what to it. It knows nothing of storage or HTTP.
package workorder

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// State is where a work order stands.
type State string

// States. Overdue is not a state: it is a flag on an order.
const (
	New          State = "new"           // created with the bad review, waiting for an operator
	Dispatched   State = "dispatched"    // with a unit, due at Due
	Replied      State = "replied"       // the unit answered; waiting for the citizen's follow-up
	NotSatisfied State = "not_satisfied" // the citizen was not satisfied; back with the operator
	Supervised   State = "supervised"    // escalated to the General Office (督办)
	Closed       State = "closed"        // the citizen was satisfied, or an appeal was upheld (办结)
)

// States lists every state in the order of the loop.
var States = []State{New, Dispatched, Replied, NotSatisfied, Supervised, Closed}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, k := range States {
		if s == k {
			return true
		}
	}
	return false
}

// Open reports whether an order in state s still needs work.
func (s State) Open() bool { return s != Closed }

// Complexity is the operator's judgement of how much work an order is.
type Complexity string

// Complexities and their limits in working days.
const (
	Simple  Complexity = "simple"  // due the same working day, or within up to 5
	Complex Complexity = "complex" // due within 5 to 15 working days
)

// Limits on deadlines, in working days ("1-5-15").
const (
	MaxSimpleDays  = 5
	MinComplexDays = 5
	MaxDays        = 15
	ContactDays    = 1
)

// DefaultDays is the working days a dispatch form starts on for c: the
// same day for a simple order, the least a complex one is given.
func DefaultDays(c Complexity) int {
	if c == Complex {
		return MinComplexDays
	}
	return 0
}

// Limits on free text, in characters.
const (
	MaxText = 4000
	MaxNote = 1000
)

// AppealState is where a unit's appeal against a bad review stands.
type AppealState string

// Appeal states; the empty state means no appeal.
const (
	AppealPending  AppealState = "pending"
	AppealUpheld   AppealState = "upheld"
	AppealRejected AppealState = "rejected"
)

// Appeal grounds (申诉理由).
const (
	GroundMistaken  = "mistaken"  // the review is about another unit, item or person
	GroundMalicious = "malicious" // the review is malicious (恶意差评)
)

// Reply is a unit's answer: what it found, what it rectified, and what it
// tells the citizen.
type Reply struct {
	Findings      string `json:"findings"`
	Rectification string `json:"rectification"`
	Answer        string `json:"answer"`
}

// Order is a 12345 work order (工单) born of a bad review.
type Order struct {
	ID     int64
	Number string
	Review int64
	State  State
	Round  int // 1, then one more per re-dispatch

	Unit         string
	Complexity   Complexity
	Days         int       // working days the operator allowed; 0 = the same day
	DispatchedAt time.Time // of the current round
	// FirstDispatchedAt is the order's first dispatch, kept through
	// re-dispatches: the operator's own deadline is judged on it.
	FirstDispatchedAt time.Time
	ContactDue        time.Time // the unit must have contacted the reviewer by then
	ContactedAt       time.Time
	Due               time.Time
	// Overdue is set once the order was past its due time while with a
	// unit, and never cleared: the flag is frozen when the state changes
	// so that statistics do not shift later.
	Overdue     bool
	DueSoonSent bool // a "due soon" notice went out for this round

	Reply     Reply
	RepliedAt time.Time

	NotSatisfied int    // times the citizen said "not satisfied"
	FollowUpNote string // the latest follow-up's reason or note
	ClosedAt     time.Time

	SupervisedAt time.Time // when first escalated; zero if never
	Assessment   bool      // marked for the year-end assessment

	ReassignReason string // a unit's pending request to move the order

	Appeal         AppealState
	AppealGround   string
	AppealReason   string
	AppealDecision string

	// Screening is where the order's review stands with fraud screening:
	// "" (never held, or released), Held or Rejected.
	Screening Screening

	// The cause review (cause.go): the operator's finding on why the
	// citizen was not satisfied, copied with its at-fault judgement so a
	// later edit of the list does not move old figures.
	Cause              string
	CauseAtFault       bool
	CauseNote          string
	CauseContest       CauseContest
	CauseContestReason string
	CauseDecision      string

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // bumped by every change; guards concurrent writers
}

// Screening is the fraud screening's word on an order's review.
type Screening string

// Screening outcomes that keep an order from the operator.
const (
	// Held: the review awaits a supervisor; the order is out of the
	// operator's queue and cannot be dispatched.
	Held Screening = "held"
	// Rejected: a supervisor found the review fraudulent; the order was
	// closed with it, unanswered.
	Rejected Screening = "rejected"
)

// Event names a notification sent to integrations.
type Event string

// Events sent to webhooks.
const (
	EventDispatched Event = "dispatched"
	EventDueSoon    Event = "due_soon"
	EventOverdue    Event = "overdue"
	EventReplied    Event = "replied"
	// EventAlertOpened: a concentration alert was raised (internal/alert).
	// It shares the queue and the webhook; the notice names the alert,
	// not a work order.
	EventAlertOpened Event = "alert_opened"
)

// Change is what one action did to an order, for the audit trail and the
// notifications.
type Change struct {
	Action Action
	From   State
	To     State
	Note   string
	Notify Event // empty when nothing is sent
	// Exclude, when not empty, is why the order's review must be held out
	// of the evaluation index.
	Exclude string
	// Step, when set, is the step this change adds to the order's history.
	Step *Step
}

// Deadlines is the working-day calendar the order needs.
type Deadlines interface {
	AddWorkdays(t time.Time, n int) time.Time
	FirstContactDue(t time.Time) time.Time
}

// PastDue reports whether the order is past its due time at now while a
// unit holds it. The stored Overdue flag may already say so.
func (o *Order) PastDue(now time.Time) bool {
	return o.State == Dispatched && !o.Due.IsZero() && now.After(o.Due)
}

// DispatchDays is the operator's own deadline: a new order is dispatched
// within one working day of its creation.
const DispatchDays = 1

// DispatchDue is when the operator must have dispatched the order.
func (o *Order) DispatchDue(d Deadlines) time.Time {
	return d.AddWorkdays(o.CreatedAt, DispatchDays)
}

// DispatchLate reports whether the order waited for dispatch past the
// operator's deadline: still new after it, or first dispatched after it,
// whatever happened in later rounds.
func (o *Order) DispatchLate(d Deadlines, now time.Time) bool {
	due := o.DispatchDue(d)
	switch {
	case o.State == New:
		return now.After(due)
	case !o.FirstDispatchedAt.IsZero():
		return o.FirstDispatchedAt.After(due)
	}
	return false
}

// ContactLate reports whether the unit has not contacted the reviewer by
// the first-contact deadline (1 working day after dispatch), or did so late.
func (o *Order) ContactLate(now time.Time) bool {
	if o.ContactDue.IsZero() {
		return false
	}
	if o.ContactedAt.IsZero() {
		return o.State == Dispatched && now.After(o.ContactDue)
	}
	return o.ContactedAt.After(o.ContactDue)
}

// freezeOverdue records lateness at a change of state.
func (o *Order) freezeOverdue(now time.Time) {
	if o.PastDue(now) {
		o.Overdue = true
	}
}

func (o *Order) change(a Action, to State, now time.Time, note string) Change {
	c := Change{Action: a, From: o.State, To: to, Note: note}
	if to != o.State {
		o.freezeOverdue(now)
	}
	o.State = to
	o.UpdatedAt = now
	return c
}

// refuse is the error for an action the order's state does not allow.
func (o *Order) refuse(a Action, why string) error {
	return apperr.New(apperr.Conflict, "state", "work order %s is %s: cannot %s%s", o.Number, o.State, a.Verb(), why)
}

// text trims s and checks it is present (when required) and not too long.
func text(field, s string, required bool, max int) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", apperr.Invalidf(field, "required")
	}
	if utf8.RuneCountInString(s) > max {
		return "", apperr.Invalidf(field, "longer than %d characters", max)
	}
	return s, nil
}

// NewOrder is the work order opened with a bad review, as its reviewer is
// told of it.
type NewOrder struct {
	Number string
	// Token is the citizen's private follow-up token. Only its hash is
	// stored: this is the one moment it is known.
	Token string
}

// ForStaff rounds the order's times that are its review's time to the day
// when the review is anonymous (review.StaffTime): it opened when the
// review came, and until someone acts on it that is its update too.
func (o *Order) ForStaff(anonymous bool) {
	if !anonymous {
		return
	}
	if o.UpdatedAt.Equal(o.CreatedAt) {
		o.UpdatedAt = review.StaffTime(o.UpdatedAt, true)
	}
	o.CreatedAt = review.StaffTime(o.CreatedAt, true)
}
